package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/training"
)

// R-S3: a project's plan per period, approved by a supervisor or quality,
// with sessions recorded against it.
func TestTrainingPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	draft := commands.NewDraftTrainingPlanHandler(s, c, nil)
	approve := commands.NewApproveTrainingPlanHandler(s, c, nil)
	hold := commands.NewRecordTrainingSessionHandler(s, c, nil)
	quality := commands.Principal{StaffID: "q1", Role: commands.RoleQuality, Project: "p1"}
	plan := commands.DraftTrainingPlan{Period: "2026-07", Sessions: []training.PlannedSession{
		{Topic: "BI 服务礼仪", Type: "simulation", PlannedOn: "2026-07-01", Audience: []string{"butler"}},
		{Topic: "消防器材使用", Type: "practical", PlannedOn: "2026-07-20", Audience: []string{"butler", "engineer"}},
	}}
	_, err := draft.Handle(ctx, as(butler), plan)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	r, err := draft.Handle(ctx, as(supervisor), plan)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != commands.TrainingPlanID("p1", "2026-07") {
		t.Fatalf("plan id %s", r.ID)
	}
	// One plan per project and period.
	_, err = draft.Handle(ctx, as(quality), plan)
	wantErr(t, err, apperr.Conflict, "plan_exists")

	_, err = hold.Handle(ctx, as(supervisor), commands.RecordTrainingSession{PlanID: r.ID, SessionID: "1", HeldOn: "2026-07-01", Attendees: []string{"b-001"}})
	wantErr(t, err, apperr.Unprocessable, "plan_not_approved")
	_, err = approve.Handle(ctx, as(butler), commands.ApproveTrainingPlan{PlanID: r.ID})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	if _, err := approve.Handle(ctx, as(quality), commands.ApproveTrainingPlan{PlanID: r.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := hold.Handle(ctx, as(supervisor), commands.RecordTrainingSession{PlanID: r.ID, SessionID: "1", HeldOn: "2026-07-01", Attendees: []string{"b-001"}}); err != nil {
		t.Fatal(err)
	}
	_, err = hold.Handle(ctx, as(supervisor), commands.RecordTrainingSession{PlanID: r.ID, SessionID: "2", HeldOn: "2026-07-20", Attendees: []string{"b-001"}})
	wantErr(t, err, apperr.Unprocessable, "held_in_future")
	c.Advance(20 * 24 * time.Hour)
	if _, err := hold.Handle(ctx, as(supervisor), commands.RecordTrainingSession{PlanID: r.ID, SessionID: "2", HeldOn: "2026-07-20", Attendees: []string{"b-001", "e-001"}}); err != nil {
		t.Fatal(err)
	}
	recs := s.stream(training.Stream(r.ID))
	if got := types(recs); len(got) != 4 || recs[3].Meta.Actor.StaffID != "s1" {
		t.Fatalf("plan stream = %v", got)
	}
}
