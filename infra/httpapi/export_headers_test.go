package httpapi

import (
	"slices"
	"testing"

	"github.com/butler-pm/butler/projections"
)

// Every indexed field of every read model has a Chinese column header in
// exports (export_headers.go): a new field fails here until it has one.
func TestExportHeadersAreChinese(t *testing.T) {
	t.Parallel()
	for _, p := range allProjections() {
		var missing []string
		for f := range p.Schema().Fields {
			if headerOf(p.Name(), f) == f {
				missing = append(missing, f)
			}
		}
		slices.Sort(missing)
		if len(missing) > 0 {
			t.Errorf("read model %s: fields without a header in fieldHeaders (or indexHeaders[%q]) of infra/httpapi/export_headers.go: %v",
				p.Name(), p.Name(), missing)
		}
	}
}

// allProjections are the read models the API lists (cmd/butler/app.Projections).
func allProjections() []projections.Projection {
	return []projections.Projection{
		projections.Households{}, projections.AccessLog{}, projections.Complaints, projections.WorkOrders, projections.Keys,
		projections.KeyDays, projections.FeeBills, projections.FeePlans, projections.FeeReconciliations, projections.FeeCollections{},
		projections.Renovations, projections.RenovationDays{}, projections.RenovationViolations{}, projections.RenovationRegisterWeeks,
		projections.MoveIns, projections.MoveInDefects{}, projections.Units{}, projections.Staff, projections.StaffAssignments{},
		projections.Shifts, projections.CCMessages{}, projections.Emergencies, projections.CCRecords{}, projections.VisitPlans{},
		projections.Visits{}, projections.ReturnVisits, projections.VacantUnits, projections.VacantMonths{}, projections.Patrols{},
		projections.Activities, projections.ActivityPlans, projections.Archives, projections.ArchiveAccessLog{}, projections.Quality{},
		projections.IntegrityReports, projections.TrainingPlans,
	}
}
