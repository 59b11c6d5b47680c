package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/duty"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
	"github.com/butler-pm/butler/domain/staff/workplan"
)

// onboard registers, trains and onboards a member (or only registers,
// when pass is false).
func onboard(t *testing.T, s *memStore, c *clock, id, role, district string, pass bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := commands.NewRegisterStaffHandler(s, c, nil).Handle(ctx, as(supervisor),
		commands.RegisterStaff{StaffID: id, Name: "员工" + id, Role: role, District: district}); err != nil {
		t.Fatal(err)
	}
	if !pass {
		return
	}
	if _, err := commands.NewAttendTrainingHandler(s, c, nil).Handle(ctx, as(supervisor),
		commands.AttendTraining{StaffID: id, Session: "入职", Topic: "制度"}); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.NewAssessStaffHandler(s, c, nil).Handle(ctx, as(supervisor),
		commands.AssessStaff{StaffID: id, Kind: "written", Onboarding: true, Score: 80}); err != nil {
		t.Fatal(err)
	}
}

// R-S2 measured beyond dispatches: every write refused because the caller
// is not on duty is kept, with why; unregistered and not-onboarded
// callers count as untrained, a token with the wrong district does not.
func TestOnDutyKeepsRefusedAttempts(t *testing.T) {
	t.Parallel()
	ctx := commands.WithAttempt(context.Background(), "POST /api/v1/work-orders")
	s, c := newMemStore(), &clock{now: start}
	onboard(t, s, c, "b-new", commands.RoleButler, "d1", false)
	onboard(t, s, c, "b-ok", commands.RoleButler, "d1", true)
	inForce := func(context.Context, string) (bool, error) { return true, nil }
	check := commands.NewOnDuty(s, inForce).Recording(c, nil)
	day := start.In(staff.Zone).Format(time.DateOnly)

	for _, tc := range []struct {
		who       commands.Principal
		reason    string
		untrained bool
	}{
		{commands.Principal{StaffID: "b-new", Role: commands.RoleButler, Project: "p1", District: "d1"}, duty.ReasonNotOnboarded, true},
		{commands.Principal{StaffID: "x-1", Role: commands.RoleEngineer, Project: "p1"}, duty.ReasonNotRegistered, true},
		{commands.Principal{StaffID: "b-ok", Role: commands.RoleButler, Project: "p1", District: "d2"}, duty.ReasonWrongDistrict, false},
	} {
		wantErr(t, check.Check(ctx, tc.who), apperr.Forbidden, "staff_not_on_duty")
		recs := s.stream(duty.Stream(commands.DutyDayID("p1", tc.who.StaffID, day)))
		if len(recs) != 1 || recs[0].Type != duty.TypeRefused || recs[0].Meta.Actor.StaffID != tc.who.StaffID {
			t.Fatalf("%s: refusals kept = %v", tc.who.StaffID, types(recs))
		}
		p, err := duty.Decode(recs[0].Type, recs[0].Data)
		if err != nil {
			t.Fatal(err)
		}
		r := p.(duty.Refused)
		if r.Reason != tc.reason || r.Untrained != tc.untrained || r.Attempt != "POST /api/v1/work-orders" || r.Day != day {
			t.Fatalf("%s: refusal = %+v", tc.who.StaffID, r)
		}
	}
	// On duty: nothing refused, nothing more kept.
	ok := commands.Principal{StaffID: "b-ok", Role: commands.RoleButler, Project: "p1", District: "d1"}
	if err := check.Check(ctx, ok); err != nil {
		t.Fatal(err)
	}
	if recs := s.stream(duty.Stream(commands.DutyDayID("p1", "b-ok", day))); len(recs) != 1 {
		t.Fatalf("an on-duty write was kept as refused: %v", types(recs))
	}
	// A member's day keeps at most duty.MaxPerDay attempts; all are refused.
	newcomer := commands.Principal{StaffID: "b-new", Role: commands.RoleButler, Project: "p1", District: "d1"}
	for range duty.MaxPerDay + 5 {
		wantErr(t, check.Check(ctx, newcomer), apperr.Forbidden, "staff_not_on_duty")
	}
	if n := len(s.stream(duty.Stream(commands.DutyDayID("p1", "b-new", day)))); n != duty.MaxPerDay {
		t.Fatalf("kept %d refusals, want %d", n, duty.MaxPerDay)
	}
	// R-S6: a refused integrity report is not kept: it would name who tried to file one.
	wantErr(t, check.Check(commands.WithAttempt(context.Background(), "POST /api/v1/integrity-reports"),
		commands.Principal{StaffID: "x-2", Role: commands.RoleCleaner, Project: "p1", District: "d1"}), apperr.Forbidden, "staff_not_on_duty")
	if recs := s.stream(duty.Stream(commands.DutyDayID("p1", "x-2", day))); len(recs) != 0 {
		t.Fatalf("a refused integrity report was kept: %v", types(recs))
	}
	// Before the register is in force nobody is refused, nothing is kept.
	setup := commands.NewOnDuty(s, func(context.Context, string) (bool, error) { return false, nil }).Recording(c, nil)
	if err := setup.Check(ctx, commands.Principal{StaffID: "y-1", Role: commands.RoleSupervisor, Project: "p1"}); err != nil {
		t.Fatal(err)
	}
	if recs := s.stream(duty.Stream(commands.DutyDayID("p1", "y-1", day))); len(recs) != 0 {
		t.Fatalf("a setup write was kept as refused: %v", types(recs))
	}
}

// R-S1, R-F5, R-S7, R-S9 on the staff record through the handlers: who
// may appraise, profile and declare relatives.
func TestAppraisalProfileAndRelativesThroughHandlers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	onboard(t, s, c, "b1", commands.RoleButler, "d1", true)
	appraise := commands.NewAppraiseStaffHandler(s, c, nil)
	profile := commands.NewRecordStaffProfileHandler(s, c, nil)
	relative := commands.NewDeclareRelativeHandler(s, c, nil)
	talk := commands.NewHoldOneToOneHandler(s, c, nil)

	wantErr(t, func() error {
		_, err := appraise.Handle(ctx, as(butler), commands.AppraiseStaff{StaffID: "b1", Month: "2026-07", Score: 90})
		return err
	}(),
		apperr.Forbidden, "forbidden_role")
	if _, err := appraise.Handle(ctx, as(supervisor), commands.AppraiseStaff{StaffID: "b1", Month: "2026-07", Score: 85, Notes: "收费达成 96%"}); err != nil {
		t.Fatal(err)
	}
	_, err := appraise.Handle(ctx, as(manager), commands.AppraiseStaff{StaffID: "b1", Month: "2026-07", Score: 70})
	wantErr(t, err, apperr.Unprocessable, "appraisal_already_recorded")
	_, err = appraise.Handle(ctx, as(supervisor), commands.AppraiseStaff{StaffID: "b1", Month: "2026-08", Score: 70})
	wantErr(t, err, apperr.Unprocessable, "appraisal_month_not_begun")

	_, err = profile.Handle(ctx, as(manager), commands.RecordStaffProfile{StaffID: "b1", Background: "本地人", Strengths: "耐心"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = profile.Handle(ctx, as(supervisor), commands.RecordStaffProfile{StaffID: "b1", Background: "本地人"})
	wantErr(t, err, apperr.Unprocessable, "profile_incomplete")
	if _, err := profile.Handle(ctx, as(supervisor), commands.RecordStaffProfile{StaffID: "b1", Background: "本地人，两个孩子", Strengths: "耐心，熟悉业主"}); err != nil {
		t.Fatal(err)
	}

	// One talk a week: the second in the same week is refused, next week's is not.
	if _, err := talk.Handle(ctx, as(supervisor), commands.HoldOneToOne{StaffID: "b1", Minutes: 12, Notes: "本周回访情况"}); err != nil {
		t.Fatal(err)
	}
	c.Advance(48 * time.Hour)
	_, err = talk.Handle(ctx, as(supervisor), commands.HoldOneToOne{StaffID: "b1", Minutes: 12, Notes: "again"})
	wantErr(t, err, apperr.Unprocessable, "one_to_one_already_held")
	c.Advance(7 * 24 * time.Hour)
	if _, err := talk.Handle(ctx, as(supervisor), commands.HoldOneToOne{StaffID: "b1", Minutes: 10, Method: "shift_meeting", Notes: "班前会"}); err != nil {
		t.Fatal(err)
	}

	// The member declares their own relative; another butler may not do it for them.
	if _, err := relative.Handle(ctx, as(butler), commands.DeclareRelative{StaffID: "b1", Unit: "3-2-501", Relation: "父母"}); err != nil {
		t.Fatal(err)
	}
	onboard(t, s, c, "b3", commands.RoleButler, "d1", true)
	_, err = relative.Handle(ctx, as(butler), commands.DeclareRelative{StaffID: "b3", Unit: "3-2-502", Relation: "兄弟"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = relative.Handle(ctx, as(supervisor), commands.DeclareRelative{StaffID: "b1", Unit: "3-2-501", Relation: "兄弟"})
	wantErr(t, err, apperr.Unprocessable, "relative_already_declared")
	if got := types(s.stream(staff.Stream("b1"))); got[len(got)-1] != staff.TypeRelativeDeclared {
		t.Fatalf("b1's stream = %v", got)
	}
}

// R-S8 through the handlers.
func TestWorkPlanThroughHandlers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	draft := commands.NewDraftWorkPlanHandler(s, c, nil)
	discuss := commands.NewDiscussWorkPlanHandler(s, c, nil)
	progress := commands.NewShareWorkPlanProgressHandler(s, c, nil)
	goal := commands.NewSetWorkPlanGoalHandler(s, c, nil)
	targets := []workplan.Target{{Area: "visits", Description: "走访 8% 住户", Unit: "户", Value: 160},
		{Area: "collection", Description: "物业费收缴率", Unit: "%", Value: 95}}

	_, err := draft.Handle(ctx, as(butler), commands.DraftWorkPlan{Month: "2026-07", Targets: targets})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = draft.Handle(ctx, as(supervisor), commands.DraftWorkPlan{Month: "2026-07", Targets: []workplan.Target{{Area: "visits", Description: "多走访"}}})
	wantErr(t, err, apperr.Unprocessable, "target_not_measurable")
	plan, err := draft.Handle(ctx, as(supervisor), commands.DraftWorkPlan{Month: "2026-07", Targets: targets})
	if err != nil || plan.ID != commands.WorkPlanID("p1", "2026-07") {
		t.Fatalf("%v %v", plan, err)
	}
	_, err = draft.Handle(ctx, as(manager), commands.DraftWorkPlan{Month: "2026-07", Targets: targets})
	wantErr(t, err, apperr.Conflict, "plan_exists")

	_, err = progress.Handle(ctx, as(supervisor), commands.ShareWorkPlanProgress{PlanID: plan.ID, TargetID: "1", Achieved: 40})
	wantErr(t, err, apperr.Unprocessable, "plan_not_discussed")
	if _, err := discuss.Handle(ctx, as(supervisor), commands.DiscussWorkPlan{PlanID: plan.ID, Attendees: []string{"b1", "b2"}, Notes: "分解指标到片区"}); err != nil {
		t.Fatal(err)
	}
	_, err = goal.Handle(ctx, as(supervisor), commands.SetWorkPlanGoal{PlanID: plan.ID,
		Target: workplan.Target{Area: "collection", Description: "东区收缴率", Unit: "%", Value: 96, Owner: "b7"}})
	wantErr(t, err, apperr.Unprocessable, "goal_not_discussed_with_owner")
	g, err := goal.Handle(ctx, as(supervisor), commands.SetWorkPlanGoal{PlanID: plan.ID,
		Target: workplan.Target{Area: "collection", Description: "东区收缴率", Unit: "%", Value: 96, Owner: "b1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := progress.Handle(ctx, as(butler), commands.ShareWorkPlanProgress{PlanID: plan.ID, TargetID: "g1", Achieved: 60, Note: "第二周"}); err != nil {
		t.Fatalf("the owner's progress on their goal: %v", err)
	}
	_, err = progress.Handle(ctx, as(butler), commands.ShareWorkPlanProgress{PlanID: plan.ID, TargetID: "1", Achieved: 60})
	wantErr(t, err, apperr.Unprocessable, "not_your_goal")
	if n := len(s.stream(workplan.Stream(plan.ID))); n != 4 || g.Revision != 2 {
		t.Fatalf("plan stream has %d events (goal at %d)", n, g.Revision)
	}
}

// R-S9 found property through the handlers.
func TestFoundPropertyThroughHandlers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	custodian := commands.Principal{StaffID: "k1", Role: commands.RoleCustodian, Project: "p1"}
	register := commands.NewRegisterFoundPropertyHandler(s, c, nil)
	handIn := commands.NewHandInFoundPropertyHandler(s, c, nil)
	ret := commands.NewReturnFoundPropertyHandler(s, c, nil)
	dispose := commands.NewDisposeFoundPropertyHandler(s, c, nil)

	_, err := register.Handle(ctx, as(butler), commands.RegisterFoundProperty{Description: "钱包", Place: "3 栋大堂", FoundAt: "yesterday"})
	e := wantErr(t, err, apperr.BadRequest, "invalid_input")
	if e.Fields["found_at"] == "" {
		t.Fatalf("fields = %v", e.Fields)
	}
	item, err := register.Handle(ctx, as(butler), commands.RegisterFoundProperty{Description: "黑色钱包", Place: "3 栋大堂",
		FoundAt: start.Add(-time.Hour).Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = handIn.Handle(ctx, as(butler), commands.HandInFoundProperty{ItemID: item.ID})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = ret.Handle(ctx, as(custodian), commands.ReturnFoundProperty{ItemID: item.ID, ClaimantUnit: "3-2-501", Proof: "核对证件"})
	wantErr(t, err, apperr.Unprocessable, "item_not_held")
	if _, err := handIn.Handle(ctx, as(custodian), commands.HandInFoundProperty{ItemID: item.ID, Storage: "保险柜"}); err != nil {
		t.Fatal(err)
	}
	_, err = dispose.Handle(ctx, as(manager), commands.DisposeFoundProperty{ItemID: item.ID, Method: "police", Reason: "无人认领"})
	wantErr(t, err, apperr.Unprocessable, "held_too_short")
	if _, err := ret.Handle(ctx, as(custodian), commands.ReturnFoundProperty{ItemID: item.ID, ClaimantUnit: "3-2-501", Proof: "核对钱包内证件"}); err != nil {
		t.Fatal(err)
	}
	// A keeper who found something hands it to another keeper.
	own, err := register.Handle(ctx, as(custodian), commands.RegisterFoundProperty{Description: "雨伞", Place: "地库",
		FoundAt: start.Format(time.RFC3339), District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = handIn.Handle(ctx, as(custodian), commands.HandInFoundProperty{ItemID: own.ID})
	wantErr(t, err, apperr.Unprocessable, "keeper_is_finder")
	if got := types(s.stream(lostproperty.Stream(item.ID))); len(got) != 3 || got[2] != lostproperty.TypeReturned {
		t.Fatalf("item stream = %v", got)
	}
}
