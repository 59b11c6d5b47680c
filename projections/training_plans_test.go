package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/staff/training"
	"github.com/butler-pm/butler/projections"
)

// R-S3: the plan's sessions, held or not; completion counts approved
// plans' sessions by planned month, traceable to plan#session.
func TestTrainingPlanCompletion(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.TrainingPlans)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	s := func(id, on string) training.PlannedSession {
		return training.PlannedSession{SessionID: id, Topic: "topic " + id, Type: "practical", PlannedOn: on, Audience: []string{"butler"}}
	}
	r.emitAs(training.Stream("y"), "s1", "supervisor", "", at, training.Drafted{PlanID: "y", Project: "p1", Period: "2026", At: at,
		Sessions: []training.PlannedSession{s("1", "2026-03-10"), s("2", "2026-03-20"), s("3", "2026-04-08")}})
	r.emitAs(training.Stream("m"), "s1", "supervisor", "", at, training.Drafted{PlanID: "m", Project: "p1", Period: "2026-03", At: at,
		Sessions: []training.PlannedSession{s("1", "2026-03-05")}})

	// Drafts do not count until approved.
	if res := r.kpi("training-plan-completion", projections.KPIFilter{Month: "2026-03"}); res.Value != nil || res.Denominator != 0 {
		t.Fatalf("before approval = %+v", res)
	}
	r.emitAs(training.Stream("y"), "q1", "quality", "", at, training.Approved{By: "q1", Role: "quality", At: at})
	r.emitAs(training.Stream("y"), "s1", "supervisor", "", at, training.SessionHeld{SessionID: "1", HeldOn: "2026-03-10", Trainer: "s1", Attendees: []string{"b-001", "b-002"}, At: at})
	r.emitAs(training.Stream("y"), "s1", "supervisor", "", at, training.SessionHeld{SessionID: "3", HeldOn: "2026-03-28", Trainer: "s1", Attendees: []string{"b-001"}, At: at})

	var y projections.TrainingPlan
	r.doc(projections.TrainingPlansIndex, "y", &y)
	if y.Status != "approved" || y.ApprovedBy != "q1" || y.Planned != 3 || y.Held != 2 || !y.Sessions[0].Held || len(y.Sessions[0].Attendees) != 2 ||
		y.Sessions[1].Held || y.DraftedBy != "s1" || len(y.Months) != 2 {
		t.Fatalf("plan = %+v", y)
	}
	wantKPI(t, r.kpi("training-plan-completion", projections.KPIFilter{Month: "2026-03"}), 0.5, 1, 2, "y#1", "y#2")
	wantKPI(t, r.kpi("training-plan-completion", projections.KPIFilter{Month: "2026-04"}), 1, 1, 1, "y#3")
	wantKPI(t, r.kpi("training-plan-completion", projections.KPIFilter{}), 2.0/3, 2, 3, "y#1", "y#2", "y#3")
}
