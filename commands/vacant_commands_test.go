package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/vacant"
	"github.com/butler-pm/butler/domain/workorder"
)

func TestVacantUnitMonthEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start} // 2026-07-01 09:00 CST
	register := commands.NewRegisterVacantUnitHandler(s, c, nil, testKeys())
	service := commands.NewServiceVacantUnitHandler(s, c, nil)
	vac := commands.NewHandlers(s, c, nil, testKeys()).Vacant
	month := commands.NewRecordVacantMonthHandler(s, c, nil)
	cleaner := commands.Principal{StaffID: "cl1", Role: commands.RoleCleaner, Project: "p1", District: "d1"}

	u, err := register.Handle(ctx, as(butler), commands.RegisterVacantUnit{Unit: "3-2-1201"})
	if err != nil {
		t.Fatal(err)
	}
	var appErr *apperr.Error
	if _, err := register.Handle(ctx, as(cleaner), commands.RegisterVacantUnit{Unit: "x"}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("cleaner registering: %v", err)
	}
	if _, err := service.Handle(ctx, as(butler), commands.ServiceVacantUnit{UnitID: u.ID, Service: "inspection"}); err != nil {
		t.Fatal(err)
	}
	if _, err := service.Handle(ctx, as(cleaner), commands.ServiceVacantUnit{UnitID: u.ID, Service: "cleaning"}); err != nil {
		t.Fatal(err)
	}
	if _, err := vac.OpenFinding.Handle(ctx, as(butler), commands.OpenVacantFinding{UnitID: u.ID, Description: "窗户玻璃破裂"}); err != nil {
		t.Fatal(err)
	}
	if _, err := vac.CloseFinding.Handle(ctx, as(butler), commands.CloseVacantFinding{UnitID: u.ID, Finding: 0, Result: "已换"}); !asAppErr(err, &appErr) || appErr.Code != "contractor_not_contacted" {
		t.Fatalf("close before contractor: %v", err)
	}
	if r, err := month.Handle(ctx, commands.Meta{}, commands.RecordVacantMonth{UnitID: u.ID, Month: "2026-07"}); err == nil || r.Recorded {
		t.Fatalf("July misses recorded in July: %+v %v", r, err)
	}
	c.Advance(31 * 24 * time.Hour)
	for i, want := range []bool{true, false} {
		r, err := month.Handle(ctx, commands.Meta{}, commands.RecordVacantMonth{UnitID: u.ID, Month: "2026-07"})
		if err != nil || r.Recorded != want {
			t.Fatalf("month end #%d: %+v %v", i, r, err)
		}
	}
	recs := s.stream(vacant.Stream(u.ID))
	last := recs[len(recs)-1]
	if last.Type != "vacant.month_missed.v1" || string(last.Data) == "" || last.Meta.Actor.StaffID != "system" {
		t.Fatalf("last = %s %s", last.Type, last.Data)
	}
	if want := `"missing":["ventilation"]`; !strings.Contains(string(last.Data), want) {
		t.Fatalf("missed = %s, want %s", last.Data, want)
	}
}

func TestPatrolFindingOpensAPublicWorkOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	rec := commands.NewRecordPatrolHandler(s, c, nil)
	report := commands.NewReportPatrolFindingHandler(s, c, nil)
	p, err := rec.Handle(ctx, as(butler), commands.RecordPatrol{Areas: []string{"地库", "3号楼大堂"}, Findings: []string{"地库照明灯不亮"}})
	if err != nil {
		t.Fatal(err)
	}
	wo, err := report.Handle(ctx, as(butler), commands.ReportPatrolFinding{PatrolID: p.ID, Finding: 0, Warranty: "out", Place: "地库B区"})
	if err != nil {
		t.Fatal(err)
	}
	woRecs := s.stream(workorder.Stream(wo.ID))
	if len(woRecs) != 1 || !strings.Contains(string(woRecs[0].Data), `"area":"public"`) || !strings.Contains(string(woRecs[0].Data), "地库照明灯不亮") {
		t.Fatalf("work order = %s", woRecs[0].Data)
	}
	var appErr *apperr.Error
	if _, err := report.Handle(ctx, as(butler), commands.ReportPatrolFinding{PatrolID: p.ID, Finding: 0, Warranty: "out"}); !asAppErr(err, &appErr) || appErr.Code != "finding_already_reported" {
		t.Fatalf("second report: %v", err)
	}
	if _, err := report.Handle(ctx, as(butlerD2), commands.ReportPatrolFinding{PatrolID: p.ID, Finding: 0, Warranty: "out"}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_scope" {
		t.Fatalf("other district: %v", err)
	}
}
