package activity_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/event"
)

var (
	t0       = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day      = time.Date(2026, 4, 18, 9, 0, 0, 0, time.UTC)
	proposed = activity.Proposed{ActivityID: "a1", Project: "p1", Title: "邻里美食节", Date: day, Organisation: "客服部",
		Content: "美食分享", Publicity: "公告栏、业主群", BudgetFen: 300000, Risks: "食品安全、人流", Large: true, At: t0}
	opsOK  = activity.Approved{Department: "operations", By: "op", LeadDays: 40, At: t0}
	qualOK = activity.Approved{Department: "quality", By: "q", LeadDays: 40, At: t0}
	held   = activity.Held{Participants: 200, At: day}
)

func TestProposal(t *testing.T) {
	t.Parallel()
	p := proposed
	p.Risks = ""
	if _, err := activity.Propose(p); !errors.Is(err, activity.ErrProposalIncomplete) {
		t.Fatalf("R-A2 a proposal states its risks: %v", err)
	}
	p = proposed
	p.Date = t0.Add(-time.Hour)
	if _, err := activity.Propose(p); !errors.Is(err, activity.ErrDateInPast) {
		t.Fatalf("past date: %v", err)
	}
	if _, err := activity.Propose(proposed); err != nil {
		t.Fatal(err)
	}
}

func TestActivityRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		given []event.Payload
		when  func(a *activity.Activity) error
		err   error
		says  string
	}{
		{"R-A2 approval 16 days before", []event.Payload{proposed},
			func(a *activity.Activity) error { return a.Approve("operations", "op", day.AddDate(0, 0, -16)) }, nil, ""},
		{"R-A2 approval exactly 15 days before", []event.Payload{proposed},
			func(a *activity.Activity) error { return a.Approve("quality", "q", day.AddDate(0, 0, -15)) }, nil, ""},
		{"R-A2 approval 14 days before is refused with the numbers", []event.Payload{proposed},
			func(a *activity.Activity) error { return a.Approve("quality", "q", day.AddDate(0, 0, -14)) },
			activity.ErrApprovalTooLate, "on 2026-04-18, 14.0 days away"},
		{"R-A2 approvers are operations and quality", []event.Payload{proposed},
			func(a *activity.Activity) error { return a.Approve("finance", "f", t0) }, activity.ErrUnknownDepartment, ""},
		{"each department approves once", []event.Payload{proposed, opsOK},
			func(a *activity.Activity) error { return a.Approve("operations", "op", t0) }, activity.ErrAlreadyApproved, ""},
		{"R-A2 not held without both approvals", []event.Payload{proposed, opsOK},
			func(a *activity.Activity) error { return a.Hold(100, day) }, activity.ErrNotApproved, ""},
		{"not held before its date", []event.Payload{proposed, opsOK, qualOK},
			func(a *activity.Activity) error { return a.Hold(100, day.AddDate(0, 0, -1)) }, activity.ErrNotYet, ""},
		{"held with participants", []event.Payload{proposed, opsOK, qualOK},
			func(a *activity.Activity) error { return a.Hold(200, day) }, nil, ""},
		{"R-A3 responses cannot exceed participants", []event.Payload{proposed, opsOK, qualOK, held},
			func(a *activity.Activity) error { return a.Survey(201, 100, day) }, activity.ErrSurveyCounts, ""},
		{"R-A3 a large activity's summary waits for 25% coverage", []event.Payload{proposed, opsOK, qualOK, held,
			activity.Surveyed{Responses: 49, Satisfied: 45, At: day}},
			func(a *activity.Activity) error { return a.Summarise("圆满", day) }, activity.ErrSurveyCoverage, "49 responses of 200"},
		{"R-A3/R-A4 with 25% covered the summary is recorded", []event.Payload{proposed, opsOK, qualOK, held,
			activity.Surveyed{Responses: 30, Satisfied: 28, At: day}, activity.Surveyed{Responses: 20, Satisfied: 20, At: day}},
			func(a *activity.Activity) error { return a.Summarise("圆满", day) }, nil, ""},
		{"R-A4 summary needs a text", []event.Payload{proposed, opsOK, qualOK, held, activity.Surveyed{Responses: 50, Satisfied: 50, At: day}},
			func(a *activity.Activity) error { return a.Summarise("", day) }, activity.ErrSummaryMissing, ""},
		{"no summary before it is held", []event.Payload{proposed, opsOK, qualOK},
			func(a *activity.Activity) error { return a.Summarise("x", day) }, activity.ErrNotHeld, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := activity.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			err = tt.when(a)
			if !errors.Is(err, tt.err) || (err != nil && !strings.Contains(err.Error(), tt.says)) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.err, tt.says)
			}
			if (err == nil) != (len(a.Changes()) == 1) {
				t.Fatalf("changes = %#v", a.Changes())
			}
		})
	}
}

// A small activity needs no survey coverage before its summary.
func TestSmallActivitySummary(t *testing.T) {
	t.Parallel()
	small := proposed
	small.Large = false
	a, _ := activity.FromHistory([]event.Payload{small, opsOK, qualOK, held})
	if err := a.Summarise("小型活动", day); err != nil {
		t.Fatal(err)
	}
}

func TestAnnualPlan(t *testing.T) {
	t.Parallel()
	dec := time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
	p, _ := activity.PlanFromHistory("p1", 2027, nil)
	if err := p.Survey(120, "希望多办亲子活动", time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)); !errors.Is(err, activity.ErrSurveyNotDecember) {
		t.Fatalf("R-A1 survey in November: %v", err)
	}
	if err := p.Draft([]string{"春节联欢"}, dec); !errors.Is(err, activity.ErrNoSurvey) {
		t.Fatalf("R-A1 plan before survey: %v", err)
	}
	if err := p.Survey(120, "希望多办亲子活动", dec); err != nil {
		t.Fatal(err)
	}
	if err := p.Approve("q", "quality", dec); !errors.Is(err, activity.ErrPlanApprover) {
		t.Fatalf("R-A1 quality approving the plan: %v", err)
	}
	if err := p.Approve("op", "operations", dec); !errors.Is(err, activity.ErrPlanNotDrafted) {
		t.Fatalf("approve before draft: %v", err)
	}
	if err := p.Draft([]string{"春节联欢", "亲子运动会"}, dec); err != nil {
		t.Fatal(err)
	}
	if err := p.Approve("op", "operations", dec); err != nil {
		t.Fatal(err)
	}
	if len(p.Changes()) != 3 {
		t.Fatalf("changes = %v", p.Changes())
	}
}

// R-A4: a held activity without its summary SummaryWithin later is flagged
// once; a summarised one, or one not held, never.
func TestSummaryOverdue(t *testing.T) {
	t.Parallel()
	load := func(history ...event.Payload) *activity.Activity {
		a, err := activity.FromHistory(history)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	due := day.Add(activity.SummaryWithin)
	if _, err := load(proposed, opsOK, qualOK).RecordSummaryOverdue(due); !errors.Is(err, activity.ErrNotHeld) {
		t.Fatalf("not held: %v", err)
	}
	a := load(proposed, opsOK, qualOK, held)
	if ok, err := a.RecordSummaryOverdue(due.Add(-time.Second)); ok || err != nil {
		t.Fatalf("before it is due: %v %v", ok, err)
	}
	if ok, err := a.RecordSummaryOverdue(due); !ok || err != nil {
		t.Fatalf("when due: %v %v", ok, err)
	}
	if ok, _ := a.RecordSummaryOverdue(due.Add(time.Hour)); ok {
		t.Fatal("flagged twice")
	}
	if err := a.Survey(60, 55, due); err != nil {
		t.Fatal(err)
	}
	if err := a.Summarise("活动顺利，业主反馈良好", due.Add(time.Hour)); err != nil {
		t.Fatalf("a late summary is still recorded: %v", err)
	}
	summarised := load(proposed, opsOK, qualOK, held, activity.Summarised{Summary: "顺利", At: day})
	if ok, _ := summarised.RecordSummaryOverdue(due); ok {
		t.Fatal("a summarised activity flagged")
	}
}
