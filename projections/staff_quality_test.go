package projections_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/staff/integrity"
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
		r.emit(workorder.Stream(id), b1, at, workorder.Registered{WorkOrderID: id, Project: "p1", District: "d1", Description: "x", Area: "public", Warranty: "in", At: at})
	}
	r.emit(workorder.Stream("w6"), b1, at.AddDate(0, 1, 0), workorder.Registered{WorkOrderID: "w6", Project: "p1", District: "d1", Description: "x", Area: "public", Warranty: "in", At: at.AddDate(0, 1, 0)})
	r.emit(quality.SpotCheckStream("c1"), sup, at, quality.SpotChecked{CheckID: "c1", Project: "p1", District: "d1", WorkOrderID: "w2", Month: "2026-03", Matches: false, Problem: "缺签字", At: at})
	res := r.kpi("spot-check-coverage", projections.KPIFilter{Month: "2026-03"})
	if value(res) != 0.2 || res.Denominator != 5 || !reflect.DeepEqual(res.NumeratorRecords, []string{"w2"}) {
		t.Fatalf("coverage = %+v", res)
	}
	if res := r.kpi("spot-checks-uncorrected", projections.KPIFilter{Month: "2026-03"}); value(res) != 1 {
		t.Fatalf("uncorrected = %+v", res)
	}
	r.emit(quality.SpotCheckStream("c1"), sup, at, quality.Corrected{Action: "补签", At: at})
	if res := r.kpi("spot-checks-uncorrected", projections.KPIFilter{Month: "2026-03"}); value(res) != 0 {
		t.Fatalf("uncorrected after correction = %+v", res)
	}
	r.emit(quality.PatrolStream("pa"), sup, at, quality.Patrolled{PatrolID: "pa", Project: "p1", Supervisor: "s-1", Week: "2026-W10", Areas: []string{"大堂"}, Report: "良好", At: at})
	if res := r.kpi("supervisor-weekly-patrols", projections.KPIFilter{Month: "2026-03", Butler: "s-1"}); value(res) != 1 {
		t.Fatalf("patrols = %+v", res)
	}
}

// R-S6: the operations list of integrity reports carries no subject or content.
func TestIntegrityReportsStayConfidential(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.IntegrityReports)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r.emit(integrity.Stream("r1"), b1, at, integrity.Filed{ReportID: "r1", Project: "p1", Subject: "某收费员", Content: "收费不给票据", To: "operations", At: at})
	r.emit(integrity.Stream("r1"), actor{"op", "operations", ""}, at, integrity.Handled{Outcome: "已查实", At: at})
	d, err := r.store.Get(context.Background(), projections.IntegrityIndex, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(d.Source); strings.Contains(s, "票据") || strings.Contains(s, "收费员") || strings.Contains(s, "已查实") || strings.Contains(s, "b-1") || !strings.Contains(s, `"status":"handled"`) {
		t.Fatalf("document = %s", s)
	}
}
