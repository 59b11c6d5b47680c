package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

var (
	woAt       = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	woButler   = actor{"b-1", "butler", "d1"}
	woEngineer = actor{"e-1", "engineer", "d1"}
	woSup      = actor{"s-1", "supervisor", ""}
	woSystem   = actor{"system", "system", "d1"}
)

// woCompleted emits a work order's registration, dispatch, start and
// completion (at woAt + 1 h), and the owner's confirmation of an in-home one.
func woCompleted(r *rig, id string, area workorder.Area, urgent, leak, paid bool) {
	s := workorder.Stream(id)
	r.emit(s, woButler, woAt, workorder.Registered{WorkOrderID: id, Project: "p1", District: "d1", Unit: "1-1-101", Description: "维修",
		Area: area, Warranty: workorder.WarrantyOut, Paid: paid, Urgent: urgent, Leak: leak, At: woAt})
	r.emit(s, woButler, woAt, workorder.Dispatched{Assignee: "e-1", At: woAt})
	r.emit(s, woEngineer, woAt, workorder.Started{At: woAt})
	r.emit(s, woEngineer, woAt.Add(time.Hour), workorder.Completed{Result: "修好", At: woAt.Add(time.Hour)})
	if area == workorder.AreaUnit {
		r.emit(s, woEngineer, woAt.Add(time.Hour), workorder.OwnerConfirmedV2{At: woAt.Add(time.Hour)})
	} else {
		r.emit(s, woButler, woAt.Add(time.Hour), workorder.SignedOff{StaffID: "b-1", Role: "butler", At: woAt.Add(time.Hour)})
	}
}

func woVisit(r *rig, id string, at time.Time, kinds ...workorder.VisitKind) {
	r.emit(workorder.Stream(id), woButler, at, workorder.ReturnVisitedV2{Kinds: kinds, Channel: workorder.ChannelPhone, Satisfaction: 5, At: at})
}

// R-W5: the return-visit rate counts a repair once every visit it needs
// is made; an urgent leak repair with its 24 h visit alone is not done.
func TestWorkOrderReturnVisitRateKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.WorkOrders)
	for _, w := range []struct {
		id           string
		urgent, leak bool
	}{{"w1", false, false}, {"w2", true, false}, {"w3", true, true}, {"w4", false, false}} {
		woCompleted(r, w.id, workorder.AreaUnit, w.urgent, w.leak, false)
	}
	r.emit(workorder.Stream("w5"), woButler, woAt, workorder.Registered{WorkOrderID: "w5", Project: "p1", District: "d1", Unit: "1-1-102",
		Description: "未完成", Area: workorder.AreaUnit, Warranty: workorder.WarrantyIn, At: woAt}) // not completed: not counted
	visitAt := woAt.Add(3 * time.Hour)
	woVisit(r, "w1", visitAt, workorder.VisitStandard)
	woVisit(r, "w2", visitAt, workorder.VisitUrgent24h)
	woVisit(r, "w3", visitAt, workorder.VisitUrgent24h) // the after-rain visit is still to come

	res := r.kpi("work-order-return-visit-rate", projections.KPIFilter{Month: "2026-07"})
	if value(res) != 0.5 || !reflect.DeepEqual(res.Records, []string{"w1", "w2", "w3", "w4"}) ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"w1", "w2"}) {
		t.Fatalf("work-order-return-visit-rate = %+v", res)
	}
	var d projections.WorkOrder
	r.doc(projections.WorkOrdersIndex, "w3", &d)
	if d.Status != "completed" || d.ReturnVisited || !d.UrgentVisited || !d.ReturnVisitInTime ||
		!reflect.DeepEqual(d.VisitsRequired, []string{"urgent_24h", "after_rain"}) || !reflect.DeepEqual(d.VisitsMade, []string{"urgent_24h"}) {
		t.Fatalf("urgent leak after its 24 h visit: %+v", d)
	}
	// The urgent 24 h KPI counts w3's urgent visit, made within 24 h.
	if res := r.kpi("urgent-repair-return-visit-24h", projections.KPIFilter{Month: "2026-07"}); value(res) != 1 ||
		!reflect.DeepEqual(res.Records, []string{"w2", "w3"}) {
		t.Fatalf("urgent-repair-return-visit-24h = %+v", res)
	}
	r.emit(workorder.Stream("w3"), woButler, visitAt.Add(48*time.Hour), workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitAfterRain},
		Channel: workorder.ChannelVisit, Satisfaction: 4, AfterRainyDay: "2026-07-02", AfterRainDueBy: time.Date(2026, 7, 6, 0, 0, 0, 0, time.UTC), At: visitAt.Add(48 * time.Hour)})
	r.doc(projections.WorkOrdersIndex, "w3", &d)
	if d.Status != "visited" || !d.ReturnVisited || d.VisitMonth != "2026-07" || !d.AfterRainVisitInTime {
		t.Fatalf("urgent leak after both visits: %+v", d)
	}
	if res := r.kpi("work-order-return-visit-rate", projections.KPIFilter{Month: "2026-07"}); value(res) != 0.75 {
		t.Fatalf("work-order-return-visit-rate after w3's second visit = %+v", res)
	}
}

// R-W5: of the leak repairs that saw rain after their repair, the share
// visited by the end of the third day after that first rain.
func TestLeakAfterRainComplianceKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.WorkOrders)
	due := time.Date(2026, 7, 6, 0, 0, 0, 0, time.UTC) // rain on 2026-07-02
	after := func(id string, at time.Time) {
		r.emit(workorder.Stream(id), woButler, at, workorder.ReturnVisitedV2{Kinds: []workorder.VisitKind{workorder.VisitAfterRain},
			Channel: workorder.ChannelVisit, Satisfaction: 5, AfterRainyDay: "2026-07-02", AfterRainDueBy: due, At: at})
	}
	for _, id := range []string{"inTime", "late", "overdue", "noRain", "legacy"} {
		woCompleted(r, id, workorder.AreaUnit, false, true, false)
	}
	woCompleted(r, "notLeak", workorder.AreaUnit, false, false, false)
	after("inTime", due.Add(-time.Hour))
	after("late", due.Add(time.Hour))
	r.emit(workorder.Stream("late"), woSystem, due, workorder.AfterRainVisitOverdue{RainyDay: "2026-07-02", Due: due, At: due})
	r.emit(workorder.Stream("overdue"), woSystem, due, workorder.AfterRainVisitOverdue{RainyDay: "2026-07-02", Due: due, At: due})
	// A visit recorded before visits had kinds: its rainy day's limit is worked out from the date.
	r.emit(workorder.Stream("legacy"), woButler, due.Add(-2*time.Hour), workorder.ReturnVisited{Channel: workorder.ChannelPhone, Satisfaction: 4,
		AfterRainyDay: "2026-07-02", At: due.Add(-2 * time.Hour)})
	woVisit(r, "notLeak", woAt.Add(2*time.Hour), workorder.VisitStandard)

	res := r.kpi("leak-after-rain-compliance", projections.KPIFilter{Month: "2026-07"})
	if value(res) != 0.5 || !reflect.DeepEqual(res.Records, []string{"inTime", "late", "legacy", "overdue"}) ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"inTime", "legacy"}) {
		t.Fatalf("leak-after-rain-compliance = %+v", res)
	}
	var d projections.WorkOrder
	r.doc(projections.WorkOrdersIndex, "overdue", &d)
	if !d.AfterRainOverdue || d.AfterRainyDay != "2026-07-02" || d.AfterRainDueBy == nil || !d.AfterRainDueBy.Equal(due) || d.AfterRainVisited {
		t.Fatalf("overdue leak repair: %+v", d)
	}
}

// R-W7: verification coverage of the month's return visits, paid services
// apart, and the visits found false.
func TestReturnVisitVerificationKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.WorkOrders)
	for _, w := range []struct {
		id   string
		paid bool
	}{{"p1", true}, {"p2", true}, {"u1", false}, {"u2", false}, {"u3", false}} {
		woCompleted(r, w.id, workorder.AreaUnit, false, false, w.paid)
		woVisit(r, w.id, woAt.Add(4*time.Hour), workorder.VisitStandard)
	}
	woCompleted(r, "open", workorder.AreaUnit, false, false, true) // no return visit: nothing to verify
	verify := func(id string, result workorder.VerificationResult) {
		r.emit(workorder.Stream(id), woSup, woAt.Add(10*24*time.Hour), workorder.ReturnVisitVerified{Method: workorder.VerifyCallBack,
			Result: result, Note: "n", At: woAt.Add(10 * 24 * time.Hour)})
	}
	verify("p1", workorder.VerifiedOK)
	verify("u1", workorder.VerifiedFalse)

	f := projections.KPIFilter{Month: "2026-07", District: "d1"}
	if res := r.kpi("return-visit-verification-coverage", f); value(res) != 0.4 || len(res.Records) != 5 ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"p1", "u1"}) {
		t.Fatalf("return-visit-verification-coverage = %+v", res)
	}
	if res := r.kpi("paid-return-visit-verification", f); value(res) != 0.5 || !reflect.DeepEqual(res.Records, []string{"p1", "p2"}) ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"p1"}) {
		t.Fatalf("paid-return-visit-verification = %+v", res)
	}
	if res := r.kpi("return-visits-found-false", f); value(res) != 1 || !reflect.DeepEqual(res.NumeratorRecords, []string{"u1"}) {
		t.Fatalf("return-visits-found-false = %+v", res)
	}
	if res := r.kpi("return-visit-verification-coverage", projections.KPIFilter{Month: "2026-08"}); len(res.Records) != 0 {
		t.Fatalf("return visits of July counted in August: %+v", res)
	}
	var d projections.WorkOrder
	r.doc(projections.WorkOrdersIndex, "u1", &d)
	if !d.Verified || d.Verifications != 1 || d.VerificationResult != "false" || d.VerifiedBy != "s-1" || !d.VisitFoundFalse || d.VerificationNote != "n" {
		t.Fatalf("verified work order: %+v", d)
	}
}

// R-W8: a closed in-home repair's forms wait until the policy files them;
// a public repair has none to file.
func TestWorkOrderFormsUnfiledKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.WorkOrders)
	closeAt := woAt.Add(5 * time.Hour)
	for _, w := range []struct {
		id   string
		area workorder.Area
	}{{"unit1", workorder.AreaUnit}, {"unit2", workorder.AreaUnit}, {"pub", workorder.AreaPublic}} {
		woCompleted(r, w.id, w.area, false, false, false)
		woVisit(r, w.id, woAt.Add(4*time.Hour), workorder.VisitStandard)
		r.emit(workorder.Stream(w.id), woButler, closeAt, workorder.Closed{At: closeAt})
	}
	woCompleted(r, "open", workorder.AreaUnit, false, false, false)
	if res := r.kpi("work-order-forms-unfiled", projections.KPIFilter{Month: "2026-07"}); value(res) != 2 ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"unit1", "unit2"}) {
		t.Fatalf("work-order-forms-unfiled = %+v", res)
	}
	r.emit(workorder.Stream("unit1"), woSystem, closeAt.Add(time.Minute), workorder.FormsFiled{ArchiveID: "a1",
		Documents: []string{"报修单 workorder-unit1"}, At: closeAt.Add(time.Minute)})
	if res := r.kpi("work-order-forms-unfiled", projections.KPIFilter{Month: "2026-07"}); value(res) != 1 ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"unit2"}) {
		t.Fatalf("work-order-forms-unfiled after filing = %+v", res)
	}
	var d projections.WorkOrder
	r.doc(projections.WorkOrdersIndex, "unit1", &d)
	if !d.FormsFiled || d.FormsUnfiled || d.FormsArchive != "a1" {
		t.Fatalf("filed work order: %+v", d)
	}
}
