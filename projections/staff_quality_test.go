package projections_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/staff/quality"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

// R-W6 measured: spot-check coverage of a month's work orders; R-S4: open
// corrections and weekly patrols.
func TestSpotCheckCoverageKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Quality{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, id := range []string{"w1", "w2", "w3", "w4", "w5"} {
		r.emit("workorder-"+id, b1, at, workorder.Registered{WorkOrderID: id, Project: "p1", District: "d1", Description: "x", Area: "public", Warranty: "in", At: at})
	}
	r.emit("workorder-w6", b1, at.AddDate(0, 1, 0), workorder.Registered{WorkOrderID: "w6", Project: "p1", District: "d1", Description: "x", Area: "public", Warranty: "in", At: at.AddDate(0, 1, 0)})
	r.emit("spotcheck-c1", sup, at, quality.SpotChecked{CheckID: "c1", Project: "p1", District: "d1", WorkOrderID: "w2", Month: "2026-03", Matches: false, Problem: "缺签字", At: at})
	res := r.kpi("spot-check-coverage", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 0.2 || res.Denominator != 5 || !reflect.DeepEqual(res.NumeratorRecords, []string{"w2"}) {
		t.Fatalf("coverage = %+v", res)
	}
	if res := r.kpi("spot-checks-uncorrected", projections.KPIFilter{Month: "2026-03"}); value(res) != 1 {
		t.Fatalf("uncorrected = %+v", res)
	}
	r.emit("spotcheck-c1", sup, at, quality.Corrected{Action: "补签", At: at})
	if res := r.kpi("spot-checks-uncorrected", projections.KPIFilter{Month: "2026-03"}); value(res) != 0 {
		t.Fatalf("uncorrected after correction = %+v", res)
	}
	r.emit("supervisorpatrol-pa", sup, at, quality.Patrolled{PatrolID: "pa", Project: "p1", Supervisor: "s-1", Week: "2026-W10", Areas: []string{"大堂"}, Report: "良好", At: at})
	if res := r.kpi("supervisor-weekly-patrols", projections.KPIFilter{Month: "2026-03", Butler: "s-1"}); value(res) != 1 {
		t.Fatalf("patrols = %+v", res)
	}
}
