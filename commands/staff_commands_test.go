package commands_test

import (
	"context"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/workorder"
)

// R-S2 at the dispatch: a registered member who has not passed the
// onboarding assessment cannot be given a work order or a complaint; an
// id the register does not know (a contractor) can.
func TestDispatchRefusesStaffNotOnboarded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	dir := commands.NewEventStaffDirectory(s)
	register := commands.NewRegisterStaffHandler(s, c, nil)
	train := commands.NewAttendTrainingHandler(s, c, nil)
	assess := commands.NewAssessStaffHandler(s, c, nil)
	regWO := commands.NewRegisterWorkOrderHandler(s, c, nil)
	dispatchWO := commands.NewDispatchWorkOrderHandler(s, c, nil).WithStaff(dir)
	regC := commands.NewRegisterComplaintHandler(s, c, nil, testKeys())
	dispatchC := commands.NewDispatchComplaintHandler(s, c, nil).WithStaff(dir)

	if _, err := register.Handle(ctx, as(supervisor), commands.RegisterStaff{StaffID: "e-new", Name: "新工程", Role: commands.RoleEngineer}); err != nil {
		t.Fatal(err)
	}
	wo, err := regWO.Handle(ctx, as(butler), commands.RegisterWorkOrder{Unit: "1-101", Description: "灯坏", Area: "unit", Warranty: "in"})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := regC.Handle(ctx, as(butler), aComplaint)
	if err != nil {
		t.Fatal(err)
	}
	var appErr *apperr.Error
	_, err = dispatchWO.Handle(ctx, as(butler), commands.DispatchWorkOrder{WorkOrderID: wo.ID, Assignee: "e-new"})
	if !asAppErr(err, &appErr) || appErr.Code != "staff_not_onboarded" || appErr.Kind != apperr.Unprocessable {
		t.Fatalf("work order dispatch to an untrained member: %v", err)
	}
	_, err = dispatchC.Handle(ctx, as(butler), commands.DispatchComplaint{ComplaintID: cp.ID, Assignee: "e-new"})
	if !asAppErr(err, &appErr) || appErr.Code != "staff_not_onboarded" {
		t.Fatalf("complaint dispatch to an untrained member: %v", err)
	}
	if n := len(s.stream(workorder.Stream(wo.ID))); n != 1 {
		t.Fatalf("refused dispatch wrote events: %d", n)
	}
	// The role is checked before the assignee.
	_, err = dispatchC.Handle(ctx, as(cashier), commands.DispatchComplaint{ComplaintID: cp.ID, Assignee: "e-new"})
	if !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("cashier dispatch: %v", err)
	}
	// Unknown to the register: allowed.
	if _, err := dispatchWO.Handle(ctx, as(butler), commands.DispatchWorkOrder{WorkOrderID: wo.ID, Assignee: "contractor-7"}); err != nil {
		t.Fatalf("contractor: %v", err)
	}
	// The onboarding assessment before training is refused; after it, dispatch works.
	_, err = assess.Handle(ctx, as(supervisor), commands.AssessStaff{StaffID: "e-new", Kind: "written", Onboarding: true, Score: 90})
	if !asAppErr(err, &appErr) || appErr.Code != "not_trained" {
		t.Fatalf("assessment before training: %v", err)
	}
	if _, err := train.Handle(ctx, as(supervisor), commands.AttendTraining{StaffID: "e-new", Session: "2026-07 入职", Topic: "报修流程"}); err != nil {
		t.Fatal(err)
	}
	if _, err := assess.Handle(ctx, as(supervisor), commands.AssessStaff{StaffID: "e-new", Kind: "practical", Onboarding: true, Score: 75}); err != nil {
		t.Fatal(err)
	}
	if _, err := dispatchWO.Handle(ctx, as(butler), commands.DispatchWorkOrder{WorkOrderID: wo.ID, Assignee: "e-new"}); err != nil {
		t.Fatalf("dispatch after onboarding: %v", err)
	}
	if _, err := dispatchC.Handle(ctx, as(butler), commands.DispatchComplaint{ComplaintID: cp.ID, Assignee: "e-new"}); err != nil {
		t.Fatalf("complaint dispatch after onboarding: %v", err)
	}
}

func TestStaffCommandRolesAndRegistration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	register := commands.NewRegisterStaffHandler(s, c, nil)
	oneToOne := commands.NewHoldOneToOneHandler(s, c, nil)
	var appErr *apperr.Error
	_, err := register.Handle(ctx, as(butler), commands.RegisterStaff{StaffID: "b9", Name: "x", Role: "butler", District: "d1"})
	if !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("butler registering staff: %v", err)
	}
	_, err = register.Handle(ctx, as(supervisor), commands.RegisterStaff{StaffID: "b9", Name: "x", Role: "butler"})
	if !asAppErr(err, &appErr) || appErr.Fields["district"] == "" {
		t.Fatalf("butler without district: %v", err)
	}
	if _, err := register.Handle(ctx, as(supervisor), commands.RegisterStaff{StaffID: "b9", Name: "x", Role: "butler", District: "d1"}); err != nil {
		t.Fatal(err)
	}
	_, err = register.Handle(ctx, as(supervisor), commands.RegisterStaff{StaffID: "b9", Name: "x", Role: "butler", District: "d1"})
	if apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("second registration: %v", err)
	}
	_, err = oneToOne.Handle(ctx, as(supervisor), commands.HoldOneToOne{StaffID: "b9", Minutes: 30, Notes: "谈心"})
	if !asAppErr(err, &appErr) || appErr.Code != "one_to_one_length" {
		t.Fatalf("30-minute one-to-one: %v", err)
	}
	if _, err := oneToOne.Handle(ctx, as(supervisor), commands.HoldOneToOne{StaffID: "b9", Minutes: 12, Notes: "谈心"}); err != nil {
		t.Fatal(err)
	}
	if recs := s.stream(staff.Stream("b9")); len(recs) != 2 || recs[1].Meta.Actor.StaffID != "s1" {
		t.Fatalf("stream = %v", types(recs))
	}
}
