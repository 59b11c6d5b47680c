package projections_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/butler-pm/butler/projections"
)

// TestFieldConstantsAreSchemaFields checks that every field constant in
// fields.go names a field of its read model's Schema, and that none is
// left out of this table.
func TestFieldConstantsAreSchemaFields(t *testing.T) {
	t.Parallel()
	models := []struct {
		p      projections.Projection
		fields []string
	}{
		{projections.WorkOrders, []string{projections.WorkOrderFieldStatus, projections.WorkOrderFieldUrgent,
			projections.WorkOrderFieldSLADeadline, projections.WorkOrderFieldSLABreached, projections.WorkOrderFieldCommunicatedInSLA,
			projections.WorkOrderFieldReturnVisited, projections.WorkOrderFieldReturnVisitDueAt, projections.WorkOrderFieldReturnVisitOverdue,
			projections.WorkOrderFieldProject, projections.WorkOrderFieldUnit, projections.WorkOrderFieldLeak, projections.WorkOrderFieldCompletedAt,
			projections.WorkOrderFieldUrgentVisited, projections.WorkOrderFieldAfterRainVisited, projections.WorkOrderFieldAfterRainOverdue,
			projections.WorkOrderFieldFormsUnfiled}},
		{projections.Complaints, []string{projections.ComplaintFieldStatus, projections.ComplaintFieldProject, projections.ComplaintFieldUnit,
			projections.ComplaintFieldDeadline, projections.ComplaintFieldOverdue, projections.ComplaintFieldNextReviewCheckAt,
			projections.ComplaintFieldRecordsUnfiled}},
		{projections.Activities, []string{projections.ActivityFieldStatus, projections.ActivityFieldSummaryDueAt,
			projections.ActivityFieldSummaryOverdue}},
		{projections.Keys, []string{projections.KeyFieldProject, projections.KeyFieldRegisteredAt, projections.KeyFieldOnLoan,
			projections.KeyFieldDueAt, projections.KeyFieldLoanOverdue, projections.KeyFieldLoanFormsUnfiled, projections.KeyFieldStatus}},
		{projections.KeyDays, []string{projections.KeyDayFieldProject, projections.KeyDayFieldDate, projections.KeyDayFieldSettled}},
		{projections.FeeBills, []string{projections.FeeBillFieldStatus, projections.FeeBillFieldInArrears, projections.FeeBillFieldNextAgeingAt,
			projections.FeeBillFieldProject, projections.FeeBillFieldUpdatedAt, projections.FeeBillFieldIssuedAt}},
		{projections.MoveIns, []string{projections.MoveInFieldDocumentsUnfiled}},
		{projections.FeeReconciliations, []string{projections.FeeReconciliationFieldProject, projections.FeeReconciliationFieldWeek}},
		{projections.Renovations, []string{projections.RenovationFieldProject, projections.RenovationFieldStatus,
			projections.RenovationFieldFiledAt, projections.RenovationFieldNextInspectionCheckAt, projections.RenovationFieldUnit,
			projections.RenovationFieldTalkOverdue, projections.RenovationFieldNextTalkDueAt}},
		{projections.RenovationRegisterWeeks, []string{projections.RegisterWeekFieldProject, projections.RegisterWeekFieldWeek,
			projections.RegisterWeekFieldSettled}},
		{projections.ReturnVisits, []string{projections.ReturnVisitDueFieldStatus, projections.ReturnVisitDueFieldDueBy}},
		{projections.VacantUnits, []string{projections.VacantUnitFieldRegisteredAt, projections.VacantUnitFieldProject,
			projections.VacantUnitFieldStatus, projections.VacantUnitFieldWeatherOpen, projections.VacantUnitFieldNextWeatherDueBy}},
		{projections.Archives, []string{projections.ArchiveFieldProject, projections.ArchiveFieldHousehold,
			projections.ArchiveFieldStatus, projections.ArchiveFieldOpenedAt, projections.ArchiveFieldCheckDueBy}},
	}
	listed := 1 // FieldID
	for _, m := range models {
		s := m.p.Schema()
		for _, f := range append([]string{projections.FieldID}, m.fields...) {
			if _, ok := s.Fields[f]; !ok {
				t.Errorf("%s has no field %q", s.Name, f)
			}
		}
		listed += len(m.fields)
	}
	if declared := constantsIn(t, "fields.go"); declared != listed {
		t.Errorf("fields.go declares %d constants, this test checks %d: add the new ones to the table", declared, listed)
	}
}

func constantsIn(t *testing.T, file string) int {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				n += len(s.(*ast.ValueSpec).Names)
			}
		}
	}
	return n
}
