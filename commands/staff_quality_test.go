package commands_test

import (
	"context"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/quality"
)

func TestSpotCheckAndCorrection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newWorkOrderHandlers()
	check := commands.NewRecordSpotCheckHandler(h.store, h.clock, nil)
	correct := commands.NewCorrectSpotCheckHandler(h.store, h.clock, nil)
	patrol := commands.NewRecordSupervisorPatrolHandler(h.store, h.clock, nil)
	wo := h.completed(t, commands.RegisterWorkOrder{Unit: "1-101", Description: "门锁坏", Area: "unit", Warranty: "out"})
	var appErr *apperr.Error
	if _, err := check.Handle(ctx, as(butler), commands.RecordSpotCheck{WorkOrderID: wo, Matches: true}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("butler spot-checking: %v", err)
	}
	if _, err := check.Handle(ctx, as(supervisor), commands.RecordSpotCheck{WorkOrderID: wo}); !asAppErr(err, &appErr) || appErr.Code != "problem_missing" {
		t.Fatalf("mismatch without problem: %v", err)
	}
	c, err := check.Handle(ctx, as(supervisor), commands.RecordSpotCheck{WorkOrderID: wo, Problem: "电子单缺完工时间"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := correct.Handle(ctx, as(supervisor), commands.CorrectSpotCheck{CheckID: c.ID, Action: "补录并提醒管家"}); err != nil {
		t.Fatal(err)
	}
	if recs := h.store.stream(quality.SpotCheckStream(c.ID)); len(recs) != 2 || recs[0].Meta.District != "d1" {
		t.Fatalf("spot check stream = %v", types(recs))
	}
	if _, err := patrol.Handle(ctx, as(supervisor), commands.RecordSupervisorPatrol{Areas: []string{"1号楼"}}); !asAppErr(err, &appErr) || appErr.Fields["report"] == "" {
		t.Fatalf("patrol without report: %v", err)
	}
	if _, err := patrol.Handle(ctx, as(supervisor), commands.RecordSupervisorPatrol{Areas: []string{"1号楼"}, Report: "自检：大堂整洁"}); err != nil {
		t.Fatal(err)
	}
}

// R-S6: anyone files; only operations handles.
func TestIntegrityReports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	file := commands.NewFileIntegrityReportHandler(s, c, nil)
	handle := commands.NewHandleIntegrityReportHandler(s, c, nil)
	ops := commands.Principal{StaffID: "op1", Role: commands.RoleOperations, Project: "p1"}
	var appErr *apperr.Error
	if _, err := file.Handle(ctx, as(butler), commands.FileIntegrityReport{Subject: "x"}); !asAppErr(err, &appErr) || appErr.Fields["content"] == "" {
		t.Fatalf("incomplete: %v", err)
	}
	r, err := file.Handle(ctx, as(butler), commands.FileIntegrityReport{Subject: "某员工", Content: "收费不给票据", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := handle.Handle(ctx, as(supervisor), commands.HandleIntegrityReport{ReportID: r.ID, Outcome: "x"}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("supervisor handling: %v", err)
	}
	if _, err := handle.Handle(ctx, as(ops), commands.HandleIntegrityReport{ReportID: r.ID, Outcome: "已查实"}); err != nil {
		t.Fatal(err)
	}
}
