package projections_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/unit"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/projections"
)

// The register of units read model: one record per unit, its status and
// key-client mark following the register's events; a replayed event
// changes nothing.
func TestUnitRegisterReadModel(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.UnitRegister{})
	sup := actor{"s-1", "supervisor", "d1"}
	at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	stream := unit.Stream("p1", "d1")
	r.emit(stream, sup, at, unit.Registered{Project: "p1", District: "d1", At: at, Units: []unit.Unit{
		{Unit: "1-1-101", Building: "1", Status: unit.Occupied}, {Unit: "1-1-102", Building: "1", Status: unit.Vacant}}})
	r.emit(stream, sup, at.Add(time.Hour), unit.KeyClientMarked{Unit: "1-1-101", Reason: "业委会主任", At: at.Add(time.Hour)})
	r.emit(stream, sup, at.Add(2*time.Hour), unit.StatusChanged{Unit: "1-1-102", Status: unit.Occupied, At: at.Add(2 * time.Hour)})
	var u projections.RegisteredUnit
	r.doc(projections.UnitRegisterIndex, "p1:1-1-101", &u)
	if !u.KeyClient || u.KeyClientReason != "业委会主任" || u.Status != "occupied" || u.Building != "1" || u.Revision != 1 {
		t.Fatalf("1-1-101 = %+v", u)
	}
	u = projections.RegisteredUnit{}
	r.doc(projections.UnitRegisterIndex, "p1:1-1-102", &u)
	if u.Status != "occupied" || u.KeyClient || u.Revision != 2 {
		t.Fatalf("1-1-102 = %+v", u)
	}
	r.emit(stream, sup, at.Add(3*time.Hour), unit.KeyClientUnmarked{Unit: "1-1-101", Reason: "已售房", At: at.Add(3 * time.Hour)})
	var unmarked projections.RegisteredUnit
	r.doc(projections.UnitRegisterIndex, "p1:1-1-101", &unmarked)
	if unmarked.KeyClient || unmarked.KeyClientReason != "" || unmarked.KeyClientSince != nil {
		t.Fatalf("unmarked = %+v", unmarked)
	}
	res, err := r.store.Search(context.Background(), projections.UnitRegisterIndex, projections.Query{
		Terms: map[string][]string{"project": {"p1"}, "status": {"occupied"}}, Size: 10})
	if err != nil || res.Total != 2 {
		t.Fatalf("occupied units = %+v %v", res, err)
	}
}

// R-H6: the monthly visit report per butler and district: planned, made,
// coverage, opinions rectified and fed back, average satisfaction; and
// visits' ratings join the satisfaction trend.
func TestVisitReportAndSatisfactionTrend(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.VisitPlans{}, projections.Visits{})
	at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	b2 := actor{"b-2", "butler", "d2"}
	r.emit(visit.PlanStream("pl1"), b1, at, visit.Planned{PlanID: "pl1", Project: "p1", District: "d1", Butler: "b-1", Month: "2026-03",
		Households: []string{"1", "2", "3", "4"}, DistrictHouseholds: 50, CountedFrom: "register", At: at})
	v := func(a actor, id, household string, sat int, opinions ...string) {
		r.emit(visit.Stream(id), a, at, visit.Visited{VisitID: id, Project: "p1", District: a.district, Visitor: a.id, Role: "butler",
			Household: household, Kind: visit.KindRoutine, PlanID: "pl1", Opinions: opinions, Satisfaction: sat, At: at})
	}
	v(b1, "v1", "1", 5, "楼道灯坏", "绿化差")
	v(b1, "v2", "2", 3)
	v(b1, "v3", "2", 0) // a second visit: made, not a second household
	v(b1, "v4", "9", 4) // outside the plan
	v(b2, "v5", "7", 1)
	r.emit(visit.Stream("v1"), b1, at, visit.OpinionRectified{Opinion: 0, Action: "已换灯", At: at})
	r.emit(visit.Stream("v1"), b1, at, visit.OpinionFedBack{Opinion: 0, Channel: "phone", At: at})

	rows, err := projections.VisitReport(context.Background(), r.store, projections.Query{Terms: map[string][]string{
		"project": {"p1"}, "month": {"2026-03"}}})
	if err != nil || len(rows) != 2 {
		t.Fatalf("report = %+v %v", rows, err)
	}
	got := rows[0]
	if got.District != "d1" || got.Butler != "b-1" || got.Planned != 4 || got.Made != 4 || got.PlannedVisited != 2 ||
		got.DistrictHouseholds != 50 || got.CoveragePercent == nil || *got.CoveragePercent != 4 ||
		got.Opinions != 2 || got.Rectified != 1 || got.FedBack != 1 || got.Rated != 3 || got.AverageSatisfaction == nil ||
		*got.AverageSatisfaction != 4 || !reflect.DeepEqual(got.Visits, []string{"v1", "v2", "v3", "v4"}) ||
		!reflect.DeepEqual(got.Plans, []string{"pl1"}) {
		t.Fatalf("b-1's row = %+v", got)
	}
	if o := rows[1]; o.Butler != "b-2" || o.Made != 1 || o.CoveragePercent != nil || *o.AverageSatisfaction != 1 {
		t.Fatalf("b-2's row = %+v", o)
	}
	only, err := projections.VisitReport(context.Background(), r.store, projections.Query{Terms: map[string][]string{
		"project": {"p1"}, "month": {"2026-03"}, "district": {"d2"}}})
	if err != nil || len(only) != 1 || only[0].Butler != "b-2" {
		t.Fatalf("d2's report = %+v %v", only, err)
	}
	if none, _ := projections.VisitReport(context.Background(), r.store, projections.Query{Terms: map[string][]string{
		"project": {"p1"}, "month": {"2026-04"}}}); len(none) != 0 {
		t.Fatalf("April = %+v", none)
	}

	points, err := projections.SatisfactionTrend(context.Background(), r.store, projections.VisitsIndex, "butler",
		projections.Query{Terms: map[string][]string{"project": {"p1"}}})
	if err != nil || len(points) != 2 || points[0].Group != "b-1" || points[0].Visits != 3 || points[0].Average != 4 ||
		points[1].Average != 1 {
		t.Fatalf("visit satisfaction trend = %+v %v", points, err)
	}
}
