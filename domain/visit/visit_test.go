package visit_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/visit"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func households(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("1-%03d", i+1)
	}
	return out
}

func TestPlanRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		households []string
		district   int
		err        error
		says       string
	}{
		{"R-H1 8 of 100 households is enough", households(8), 100, nil, ""},
		{"R-H1 7 of 100 is refused with the numbers", households(7), 100, visit.ErrCoverageTooLow, "7 of 100 households is 7.0%; at least 8 are needed"},
		{"R-H1 rounding up: 9 of 101 is needed", households(8), 101, visit.ErrCoverageTooLow, "at least 9"},
		{"R-H1 a household twice is refused and named", append(households(8), "1-003"), 100, visit.ErrDuplicateHousehold, "1-003"},
		{"the household count is required", households(8), 0, visit.ErrHouseholdCountMissing, ""},
		{"an empty plan", nil, 100, visit.ErrPlanIncomplete, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := visit.NewPlan("p-1", "p1", "d1", "b-1", "2026-03", tt.households, tt.district, t0)
			if !errors.Is(err, tt.err) || (err != nil && !strings.Contains(err.Error(), tt.says)) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.err, tt.says)
			}
			if err == nil && len(p.Changes()) != 1 {
				t.Fatalf("changes = %v", p.Changes())
			}
		})
	}
}

var visited = visit.Visited{VisitID: "v1", Project: "p1", District: "d1", Visitor: "b-1", Role: "butler", Household: "1-001",
	Kind: visit.KindRoutine, Opinions: []string{"楼道灯坏", "绿化差"}, At: t0}

func TestVisitRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	rect := visit.OpinionRectified{Opinion: 0, Action: "已更换灯具", At: t0}
	tests := []struct {
		name  string
		given []event.Payload
		when  func(v *visit.Visit) error
		then  []event.Payload
		err   error
	}{
		{"R-H2 rectify an opinion", []event.Payload{visited},
			func(v *visit.Visit) error { return v.Rectify(0, "已更换灯具", now) },
			[]event.Payload{visit.OpinionRectified{Opinion: 0, Action: "已更换灯具", At: now}}, nil},
		{"R-H2 feedback before rectification is refused", []event.Payload{visited},
			func(v *visit.Visit) error { return v.FeedBack(0, "phone", "", now) }, nil, visit.ErrNotRectified},
		{"R-H2 feedback to the owner", []event.Payload{visited, rect},
			func(v *visit.Visit) error { return v.FeedBack(0, "phone", "业主满意", now) },
			[]event.Payload{visit.OpinionFedBack{Opinion: 0, Channel: "phone", Note: "业主满意", At: now}}, nil},
		{"R-H2 feedback by phone or visit only", []event.Payload{visited, rect},
			func(v *visit.Visit) error { return v.FeedBack(0, "sms", "", now) }, nil, visit.ErrFeedbackChannel},
		{"R-H2 feedback once", []event.Payload{visited, rect, visit.OpinionFedBack{Opinion: 0, Channel: "visit", At: t0}},
			func(v *visit.Visit) error { return v.FeedBack(0, "phone", "", now) }, nil, visit.ErrAlreadyFedBack},
		{"rectify once", []event.Payload{visited, rect},
			func(v *visit.Visit) error { return v.Rectify(0, "again", now) }, nil, visit.ErrAlreadyRectified},
		{"unknown opinion", []event.Payload{visited},
			func(v *visit.Visit) error { return v.Rectify(2, "x", now) }, nil, visit.ErrUnknownOpinion},
		{"R-H5 a common problem warns the project manager", []event.Payload{visited},
			func(v *visit.Visit) error {
				return v.WarnCommonProblem("多户反映地库渗水，需公司维修资金", now)
			},
			[]event.Payload{visit.CommonProblemWarned{Problem: "多户反映地库渗水，需公司维修资金", Warn: "project_manager", At: now}}, nil},
		{"R-H5 a warning says what the problem is", []event.Payload{visited},
			func(v *visit.Visit) error { return v.WarnCommonProblem(" ", now) }, nil, visit.ErrProblemMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := visit.VisitFromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(v); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(v.Changes(), tt.then) {
				t.Fatalf("changes = %#v", v.Changes())
			}
		})
	}
}

func TestKeyClientVisitsAreSupervisors(t *testing.T) {
	t.Parallel()
	v := visited
	v.Kind = visit.KindKeyClient
	if _, err := visit.Record(v); !errors.Is(err, visit.ErrKeyClientBySupervisor) {
		t.Fatalf("butler key-client visit: %v", err)
	}
	v.Role, v.Festival = "supervisor", true
	x, err := visit.Record(v)
	if err != nil || !x.Changes()[0].(visit.Visited).Festival {
		t.Fatalf("R-H4 supervisor Spring Festival visit: %v", err)
	}
	v.Kind = "party"
	if _, err := visit.Record(v); !errors.Is(err, visit.ErrUnknownKind) {
		t.Fatalf("unknown kind: %v", err)
	}
}

func TestRequiredReturnVisits(t *testing.T) {
	t.Parallel()
	completed := t0
	due := visit.DueOpened{DueID: "w1", Project: "p1", District: "d1", Household: "1-001", Reason: visit.ReasonUrgentRepair,
		Source: "workorder-w1", Since: completed, DueBy: completed.Add(24 * time.Hour), At: completed.Add(time.Minute)}
	if _, err := visit.OpenDue(visit.DueOpened{DueID: "x", Project: "p1", Household: "h", Reason: "birthday"}); !errors.Is(err, visit.ErrUnknownReason) {
		t.Fatalf("unknown reason: %v", err)
	}
	mk := func(household string, at time.Time) *visit.Visit {
		v := visited
		v.Household, v.At, v.Kind = household, at, visit.KindReturn
		x, err := visit.Record(v)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		name   string
		visit  *visit.Visit
		err    error
		onTime bool
	}{
		{"R-H3 a visit to another household does not count", mk("9-999", completed.Add(time.Hour)), visit.ErrWrongHousehold, false},
		{"R-H3 a visit before the need does not count", mk("1-001", completed.Add(-time.Hour)), visit.ErrVisitBeforeDue, false},
		{"R-H3 within 24 h is on time", mk("1-001", completed.Add(23*time.Hour)), nil, true},
		{"R-H3 after 24 h is done but late", mk("1-001", completed.Add(25*time.Hour)), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := visit.DueFromHistory([]event.Payload{due})
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Satisfy(tt.visit, t0); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v", err)
			}
			if tt.err == nil && d.Changes()[0].(visit.DueSatisfied).OnTime != tt.onTime {
				t.Fatalf("changes = %#v", d.Changes())
			}
		})
	}
	d, _ := visit.DueFromHistory([]event.Payload{due})
	if d.MarkOverdue(completed.Add(23 * time.Hour)) {
		t.Fatal("overdue before the deadline")
	}
	if !d.MarkOverdue(completed.Add(25*time.Hour)) || d.MarkOverdue(completed.Add(26*time.Hour)) {
		t.Fatal("R-H3 overdue is recorded exactly once after the deadline")
	}
	done, _ := visit.DueFromHistory([]event.Payload{due, visit.DueSatisfied{VisitID: "v", OnTime: true, At: t0}})
	if done.MarkOverdue(completed.Add(48*time.Hour)) || !errors.Is(done.Satisfy(mk("1-001", t0.Add(time.Hour)), t0), visit.ErrDueDone) {
		t.Fatal("a done return visit is neither overdue nor satisfied twice")
	}
}
