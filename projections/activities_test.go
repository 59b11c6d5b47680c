package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/projections"
)

// R-A2, R-A3, R-A4 measured.
func TestActivityKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Activities)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := time.Date(2026, 4, 18, 9, 0, 0, 0, time.UTC)
	propose := func(id string, large bool) {
		r.emit(activity.Stream(id), b1, at, activity.Proposed{ActivityID: id, Project: "p1", District: "d1", Title: id, Date: day,
			Organisation: "o", Content: "c", Publicity: "p", Risks: "r", Large: large, At: at})
	}
	approve := func(id string) {
		r.emit(activity.Stream(id), actor{"op", "operations", ""}, at, activity.Approved{Department: "operations", LeadDays: 47, At: at})
		r.emit(activity.Stream(id), actor{"q", "quality", ""}, at, activity.Approved{Department: "quality", LeadDays: 20, At: at})
	}
	propose("big", true)
	approve("big")
	propose("small", false)
	approve("small")
	propose("late", false)
	r.emit(activity.Stream("late"), actor{"op", "operations", ""}, at, activity.Approved{Department: "operations", LeadDays: 30, At: at})
	r.emit(activity.Stream("big"), b1, day, activity.Held{Participants: 200, At: day})
	r.emit(activity.Stream("big"), b1, day, activity.Surveyed{Responses: 40, Satisfied: 38, At: day})

	res := r.kpi("activity-approval-lead-time", projections.KPIFilter{Month: "2026-04"})
	if res.Denominator != 3 || !reflect.DeepEqual(res.NumeratorRecords, []string{"big", "small"}) {
		t.Fatalf("lead time = %+v", res)
	}
	if res := r.kpi("activity-survey-coverage", projections.KPIFilter{Month: "2026-04"}); res.Denominator != 1 || value(res) != 0 {
		t.Fatalf("coverage at 20%% = %+v", res)
	}
	r.emit(activity.Stream("big"), b1, day, activity.Surveyed{Responses: 10, Satisfied: 10, At: day})
	if res := r.kpi("activity-survey-coverage", projections.KPIFilter{Month: "2026-04"}); value(res) != 1 {
		t.Fatalf("coverage at 25%% = %+v", res)
	}
	var a projections.Activity
	r.doc(projections.ActivitiesIndex, "big", &a)
	if a.LeadDays != 20 || a.RetainUntil == nil || a.RetainUntil.Year() != 2028 || a.Coverage != 0.25 {
		t.Fatalf("activity = %+v", a)
	}
}
