package visit_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
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

// units is a district's register of units as a plan sees it: n occupied
// units 1-001…, and the vacant ones named.
type units struct {
	n      int
	vacant []string
}

func (u units) Households() int { return u.n }
func (u units) Has(h string) bool {
	for _, x := range append(households(u.n), u.vacant...) {
		if x == h {
			return true
		}
	}
	return false
}
func (u units) Occupied(h string) bool { return u.Has(h) && !slices.Contains(u.vacant, h) }

func TestPlanRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		households []string
		units      visit.Units
		err        error
		says       string
	}{
		{"R-H1 8 of 100 households is enough", households(8), units{n: 100}, nil, ""},
		{"R-H1 7 of 100 is refused with the numbers", households(7), units{n: 100}, visit.ErrCoverageTooLow, "7 of 100 households is 7.0%; at least 8 are needed"},
		{"R-H1 rounding up: 9 of 101 is needed", households(8), units{n: 101}, visit.ErrCoverageTooLow, "at least 9"},
		{"R-H1 a household twice is refused and named", append(households(8), "1-003"), units{n: 100}, visit.ErrDuplicateHousehold, "1-003"},
		{"R-H1 only registered units are planned", append(households(8), "9-999"), units{n: 100}, visit.ErrUnregisteredUnit, "9-999"},
		{"R-H1 vacant units are not households to visit", append(households(8), "V-1"), units{n: 100, vacant: []string{"V-1"}}, visit.ErrVacantUnit, "V-1"},
		{"R-H1 vacant units do not count: 1 of 10 occupied is 10%", []string{"1-001"}, units{n: 10, vacant: households(90)[10:]}, nil, ""},
		{"a district with no registered units cannot plan", households(8), units{}, visit.ErrHouseholdCountMissing, "register"},
		{"a district with no register at all cannot plan", households(8), nil, visit.ErrHouseholdCountMissing, ""},
		{"an empty plan", nil, units{n: 100}, visit.ErrPlanIncomplete, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := visit.NewPlan("p-1", "p1", "d1", "b-1", "2026-03", tt.households, tt.units, t0)
			if !errors.Is(err, tt.err) || (err != nil && !strings.Contains(err.Error(), tt.says)) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.err, tt.says)
			}
			if err == nil {
				pl := p.Changes()[0].(visit.Planned)
				if len(p.Changes()) != 1 || pl.DistrictHouseholds != tt.units.Households() || pl.CountedFrom != "register" || pl.EventType() != visit.TypePlannedV2 {
					t.Fatalf("changes = %#v", p.Changes())
				}
			}
		})
	}
}

// Old plans and visits stay readable: a v1 plan keeps its caller's count,
// a v1 visit has no rating and was to no registered key client.
func TestVersionOneStaysReadable(t *testing.T) {
	t.Parallel()
	p, err := visit.Decode(visit.TypePlanned, []byte(`{"plan_id":"x","households":["1"],"district_households":50}`))
	if err != nil || p.(visit.Planned).DistrictHouseholds != 50 || p.(visit.Planned).CountedFrom != "" {
		t.Fatalf("v1 plan: %#v %v", p, err)
	}
	v, err := visit.Decode(visit.TypeVisited, []byte(`{"visit_id":"v","kind":"key_client","household":"1"}`))
	if err != nil || v.(visit.Visited).KeyClient || v.(visit.Visited).Satisfaction != 0 {
		t.Fatalf("v1 visit: %#v %v", v, err)
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
	if _, err := visit.Record(v); !errors.Is(err, visit.ErrNotAKeyClient) {
		t.Fatalf("R-H7 a key-client visit to a household not in the register: %v", err)
	}
	v.KeyClient = true
	x, err := visit.Record(v)
	if err != nil || !x.Changes()[0].(visit.Visited).Festival {
		t.Fatalf("R-H4 supervisor Spring Festival visit: %v", err)
	}
	for _, s := range []int{-1, 6} {
		v.Satisfaction = s
		if _, err := visit.Record(v); !errors.Is(err, visit.ErrSatisfaction) {
			t.Fatalf("R-H6 satisfaction %d: %v", s, err)
		}
	}
	v.Satisfaction = 5
	if x, err := visit.Record(v); err != nil || x.Changes()[0].(visit.Visited).Satisfaction != 5 {
		t.Fatalf("R-H6 satisfaction 5: %v", err)
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
