package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/projections"
)

// R-H1 and R-H2 measured: the plan's visit ratio grows with distinct
// households visited; a second visit to one household is a duplicate;
// opinions count as fed back once the owner is told.
func TestVisitKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.VisitPlans{}, projections.Visits{})
	at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	r.emit(visit.PlanStream("pl1"), b1, at, visit.Planned{PlanID: "pl1", Project: "p1", District: "d1", Butler: "b-1", Month: "2026-03",
		Households: []string{"1", "2"}, DistrictHouseholds: 25, At: at})
	v := func(id, household string, opinions ...string) {
		r.emit(visit.Stream(id), b1, at, visit.Visited{VisitID: id, Project: "p1", District: "d1", Visitor: "b-1", Role: "butler",
			Household: household, Kind: visit.KindRoutine, PlanID: "pl1", Opinions: opinions, At: at})
	}
	v("v1", "1", "楼道脏", "路灯坏")
	if res := r.kpi("visit-ratio", projections.KPIFilter{Month: "2026-03"}); value(res) != 0 {
		t.Fatalf("1 of 25 (4%%) does not meet 8%%: %+v", res)
	}
	v("v2", "1")
	v("v3", "2")
	var plan projections.VisitPlan
	r.doc(projections.VisitPlansIndex, "pl1", &plan)
	if plan.VisitRatio != 0.08 || !plan.RatioMet || !reflect.DeepEqual(plan.Visited, []string{"1", "2"}) {
		t.Fatalf("plan = %+v", plan)
	}
	if res := r.kpi("visit-ratio", projections.KPIFilter{Month: "2026-03", Butler: "b-1"}); value(res) != 1 {
		t.Fatalf("visit-ratio = %+v", res)
	}
	if res := r.kpi("visit-duplicates", projections.KPIFilter{Month: "2026-03"}); value(res) != 1 || !reflect.DeepEqual(res.NumeratorRecords, []string{"v2"}) {
		t.Fatalf("visit-duplicates = %+v", res)
	}
	r.emit(visit.Stream("v1"), b1, at, visit.OpinionRectified{Opinion: 1, Action: "已修", At: at})
	r.emit(visit.Stream("v1"), b1, at, visit.OpinionFedBack{Opinion: 1, Channel: "phone", At: at})
	if res := r.kpi("opinion-feedback-rate", projections.KPIFilter{Month: "2026-03"}); value(res) != 0.5 ||
		!reflect.DeepEqual(res.NumeratorRecords, []string{"v1#1"}) {
		t.Fatalf("opinion-feedback-rate = %+v", res)
	}
	sup := actor{"s-1", "supervisor", "d1"}
	// R-H4, R-H7: k0 is a key-client visit recorded before the register
	// (v1, no key_client flag): it is not a visit to a registered key client.
	for _, k := range []struct {
		id                  string
		registered, festive bool
	}{{"k0", false, false}, {"k1", true, false}, {"k2", true, false}, {"k3", true, true}, {"k4", false, true}} {
		r.emit(visit.Stream(k.id), sup, at, visit.Visited{VisitID: k.id, Project: "p1", District: "d1", Visitor: "s-1", Role: "supervisor",
			Household: "VIP-" + k.id, Kind: visit.KindKeyClient, KeyClient: k.registered, Festival: k.festive, At: at})
	}
	if res := r.kpi("key-client-visits", projections.KPIFilter{Month: "2026-03", Butler: "s-1"}); value(res) != 3 ||
		!reflect.DeepEqual(res.Records, []string{"k1", "k2", "k3"}) {
		t.Fatalf("key-client-visits = %+v", res)
	}
	if res := r.kpi("key-client-visits", projections.KPIFilter{Month: "2026-03", Butler: "s-2"}); value(res) != 0 {
		t.Fatalf("another supervisor's key-client visits = %+v", res)
	}
	if res := r.kpi("spring-festival-key-client-visits", projections.KPIFilter{Month: "2026-03"}); value(res) != 1 ||
		!reflect.DeepEqual(res.Records, []string{"k3"}) {
		t.Fatalf("spring-festival-key-client-visits = %+v", res)
	}
	if res := r.kpi("spring-festival-key-client-visits", projections.KPIFilter{Month: "2026-02"}); value(res) != 0 {
		t.Fatalf("spring-festival-key-client-visits in another month = %+v", res)
	}
	r.emit(visit.Stream("v1"), b1, at, visit.CommonProblemWarned{Problem: "地库渗水", Warn: "project_manager", At: at})
	var rec projections.VisitRecord
	r.doc(projections.VisitsIndex, "v1", &rec)
	if rec.Warn != "project_manager" || len(rec.Warnings) != 1 || rec.Duplicate {
		t.Fatalf("visit = %+v", rec)
	}
}

// R-H3 measured: on time over done-or-overdue items; open items within
// their deadline are not counted yet.
func TestRequiredReturnVisitsOnTimeKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.ReturnVisits)
	sys := actor{"system", "system", "d1"}
	at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	open := func(id string) {
		r.emit(visit.DueStream(id), sys, at, visit.DueOpened{DueID: id, Project: "p1", District: "d1", Household: "h-" + id,
			Reason: visit.ReasonUrgentRepair, Since: at, DueBy: at.Add(24 * time.Hour), At: at})
	}
	open("a")
	open("b")
	open("c")
	r.emit(visit.DueStream("a"), b1, at, visit.DueSatisfied{VisitID: "v", OnTime: true, At: at})
	r.emit(visit.DueStream("b"), sys, at, visit.DueOverdue{DueBy: at, At: at})
	res := r.kpi("required-return-visits-on-time", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 0.5 || !reflect.DeepEqual(res.Records, []string{"a", "b"}) {
		t.Fatalf("kpi = %+v", res)
	}
}
