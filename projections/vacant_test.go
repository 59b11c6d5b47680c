package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/patrol"
	"github.com/butler-pm/butler/domain/vacant"
	"github.com/butler-pm/butler/projections"
)

// R-V1 measured: a unit-month is compliant with all three services; the
// month-end miss makes an untouched unit-month appear, non-compliant.
func TestVacantUnitComplianceKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.VacantMonths{}, projections.VacantUnits)
	sys := actor{"system", "system", "d1"}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	apr := time.Date(2026, 4, 1, 0, 5, 0, 0, time.UTC)
	for _, u := range []string{"u1", "u2", "u3"} {
		r.emit(vacant.Stream(u), b1, at, vacant.Registered{UnitID: u, Project: "p1", District: "d1", Unit: "room-" + u, At: at})
	}
	for _, s := range vacant.MonthlyServices {
		r.emit(vacant.Stream("u1"), b1, at, vacant.Serviced{Service: s, Month: "2026-03", At: at})
	}
	r.emit(vacant.Stream("u2"), b1, at, vacant.Serviced{Service: vacant.Inspection, Month: "2026-03", At: at})
	r.emit(vacant.Stream("u2"), sys, apr, vacant.MonthMissed{Month: "2026-03", Missing: []string{"ventilation", "cleaning"}, At: apr})
	r.emit(vacant.Stream("u3"), sys, apr, vacant.MonthMissed{Month: "2026-03", Missing: vacant.MonthlyServices, At: apr})

	// u4 was inspected in March, then occupied in March: not a vacant month.
	r.emit(vacant.Stream("u4"), b1, at, vacant.Registered{UnitID: "u4", Project: "p1", District: "d1", Unit: "room-u4", At: at})
	r.emit(vacant.Stream("u4"), b1, at, vacant.Serviced{Service: vacant.Inspection, Month: "2026-03", At: at})
	r.emit(vacant.Stream("u4"), b1, at.AddDate(0, 0, 10), vacant.Occupied{At: at.AddDate(0, 0, 10)})

	res := r.kpi("vacant-unit-compliance", projections.KPIFilter{Month: "2026-03", Butler: "b-1"})
	if res.Denominator != 3 || !reflect.DeepEqual(res.NumeratorRecords, []string{"u1@2026-03"}) {
		t.Fatalf("kpi = %+v, want 3 vacant unit-months (u4, occupied in March, not one of them)", res)
	}
	var u projections.VacantUnit
	r.doc(projections.VacantUnitsIndex, "u3", &u)
	if !reflect.DeepEqual(u.MissedMonths, []string{"2026-03"}) || u.Status != "vacant" {
		t.Fatalf("unit = %+v", u)
	}
}

// R-V4 measured: patrolled days per butler, two patrols on a day count once.
func TestPatrolDaysKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Patrols{})
	d1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{d1, d1.Add(5 * time.Hour), d1.AddDate(0, 0, 1)} {
		id := []string{"a", "b", "c"}[i]
		r.emit(patrol.Stream(id), b1, at, patrol.Recorded{PatrolID: id, Project: "p1", District: "d1", Butler: "b-1",
			Date: at.Format(time.DateOnly), Areas: []string{"大堂"}, Findings: []string{}, At: at})
	}
	r.emit(patrol.Stream("a"), b1, d1, patrol.FindingReported{Finding: 0, WorkOrderID: "w1", At: d1})
	if res := r.kpi("patrol-days", projections.KPIFilter{Month: "2026-03", Butler: "b-1"}); value(res) != 2 {
		t.Fatalf("patrol-days = %+v", res)
	}
	var p projections.PatrolRecord
	r.doc(projections.PatrolsIndex, "a", &p)
	if p.WorkOrders["0"] != "w1" {
		t.Fatalf("patrol = %+v", p)
	}
}

// R-V2 measured: extra services after special weather done by their due
// time, of those settled; the unit shows its dues.
func TestSpecialWeatherVacantServiceKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.VacantMonths{}, projections.VacantUnits)
	sys := actor{"system", "system", "d1"}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	dueBy := time.Date(2026, 3, 4, 16, 0, 0, 0, time.UTC)
	for _, u := range []string{"u1", "u2", "u3"} {
		r.emit(vacant.Stream(u), b1, at, vacant.Registered{UnitID: u, Project: "p1", District: "d1", Unit: "room-" + u, At: at})
		r.emit(vacant.Stream(u), sys, at, vacant.WeatherServiceDue{Weather: "typhoon", Date: "2026-03-03", DueBy: dueBy, At: at})
	}
	r.emit(vacant.Stream("u1"), b1, at, vacant.WeatherServiced{Weather: "typhoon", Notes: "门窗加固", At: at.Add(time.Hour)})
	r.emit(vacant.Stream("u2"), sys, dueBy, vacant.WeatherServiceMissed{Weather: "typhoon", Date: "2026-03-03", DueBy: dueBy, At: dueBy})
	// u3 is still open: not counted yet.
	wantKPI(t, r.kpi("special-weather-vacant-service", projections.KPIFilter{Month: "2026-03", Butler: "b-1"}), 0.5, 1, 2,
		"u1@weather:2026-03-03|typhoon", "u2@weather:2026-03-03|typhoon")
	var u3 projections.VacantUnit
	r.doc(projections.VacantUnitsIndex, "u3", &u3)
	if !u3.WeatherOpen || u3.NextWeatherDueBy == nil || !u3.NextWeatherDueBy.Equal(dueBy) || len(u3.WeatherDues) != 1 {
		t.Fatalf("u3 = %+v", u3)
	}
	var u1 projections.VacantUnit
	r.doc(projections.VacantUnitsIndex, "u1", &u1)
	if u1.WeatherOpen || u1.WeatherDues[0].Status != "served" {
		t.Fatalf("u1 = %+v", u1)
	}
	// The monthly compliance KPI counts only vacant unit-months.
	if res := r.kpi("vacant-unit-compliance", projections.KPIFilter{Month: "2026-03"}); res.Denominator != 0 {
		t.Fatalf("vacant-unit-compliance counts weather services: %+v", res)
	}
}
