package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/projections"
)

func TestMoveInsUnitsAndKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.MoveIns, projections.MoveInDefects{}, projections.Units{})
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	open := func(id, unit string) {
		r.emitAs(movein.Stream(id), "b1", "butler", "d1", at, movein.Opened{MoveInID: id, Project: "p1", District: "d1", Unit: unit, Butler: "b1", At: at})
	}
	step := func(id string, s movein.StepRecorded) {
		s.At = at
		r.emitAs(movein.Stream(id), "b1", "butler", "d1", at, s)
	}
	open("m1", "3-2-1201")
	open("m2", "3-2-1202")
	step("m1", movein.StepRecorded{Step: movein.StepDocumentsReviewed, Note: "ok"})
	step("m1", movein.StepRecorded{Step: movein.StepFeesCollected, Receipts: []string{"NO.1"}})
	step("m1", movein.StepRecorded{Step: movein.StepAgreementsSigned, Agreements: []string{movein.AgreementPreliminaryService}})
	step("m1", movein.StepRecorded{Step: movein.StepFormsFilled, Forms: []string{movein.FormOwnerInformation}, Photos: []string{"ph"}})
	step("m1", movein.StepRecorded{Step: movein.StepUnitInspected, Defects: []movein.Defect{{ID: "d1", Description: "客厅墙面空鼓"}, {ID: "d2", Description: "入户门划痕"}}})
	step("m1", movein.StepRecorded{Step: movein.StepKeysHandedOver, Keys: []string{"K-1"}})
	step("m2", movein.StepRecorded{Step: movein.StepDocumentsReviewed, Note: "ok"})
	r.emitAs(movein.Stream("m1"), "b1", "butler", "d1", at, movein.DefectHandedToDeveloper{DefectID: "d1", DeveloperRef: "FC-1", At: at})
	r.emitAs(movein.Stream("m1"), "e1", "engineer", "d1", at, movein.DefectResolved{DefectID: "d1", At: at})

	var m1 projections.MoveIn
	r.doc(projections.MoveInsIndex, "m1", &m1)
	if !m1.Completed || m1.OpenDefects != 1 || m1.StepsCompleted != 6 || !m1.Defects[0].Resolved {
		t.Fatalf("m1 = %+v", m1)
	}
	// R-M1: one of two move-ins has every step; R-M2: one defect still open.
	wantKPI(t, r.kpi("move-in-steps-completed", projections.KPIFilter{Month: "2026-03"}), 0.5, 1, 2, "m1", "m2")
	wantKPI(t, r.kpi("move-in-steps-average", projections.KPIFilter{}), 3.5, 7, 2)
	res := r.kpi("move-in-defects-open", projections.KPIFilter{Butler: "b1"})
	wantKPI(t, res, 1, 1, 2, "m1-d1", "m1-d2")
	var d2 projections.MoveInDefectDoc
	r.doc(projections.MoveInDefectsIndex, "m1-d2", &d2)
	if d2.Unit != "3-2-1201" || !d2.Open || d2.HandedOver {
		t.Fatalf("d2 = %+v", d2)
	}

	// 房态: vacant → handed over → renovating → occupied.
	unit := projections.UnitID("p1", "3-2-1201")
	var u projections.Unit
	r.doc(projections.UnitsIndex, unit, &u)
	if u.Status != projections.UnitHandedOver || u.MoveInID != "m1" {
		t.Fatalf("unit = %+v", u)
	}
	r2 := newRig(t, projections.Units{})
	r2.emitAs(movein.Stream("m1"), "b1", "butler", "d1", at, movein.Opened{MoveInID: "m1", Project: "p1", District: "d1", Unit: "3-2-1201", Butler: "b1", At: at})
	r2.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.Filed{RenovationID: "r1", Project: "p1", District: "d1", Unit: "3-2-1201", At: at})
	r2.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.WorkStarted{At: at})
	r2.doc(projections.UnitsIndex, unit, &u)
	if u.Status != projections.UnitRenovating || u.RenovationID != "r1" {
		t.Fatalf("unit = %+v", u)
	}
	r2.emitAs(renovation.Stream("r1"), "b1", "butler", "d1", at, renovation.Closed{At: at})
	r2.doc(projections.UnitsIndex, unit, &u)
	if u.Status != projections.UnitOccupied || len(u.Changes) != 3 {
		t.Fatalf("unit = %+v", u)
	}
}
