package commands

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// Every domain error must reach the caller with its own stable code;
// an unmapped one would surface as an internal error (HTTP 500).
func TestEveryDomainErrorHasACode(t *testing.T) {
	t.Parallel()
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for _, tc := range []struct {
		file  string
		codes map[error]string
	}{
		{"../domain/complaint/errors.go", complaintCodes},
		{"../domain/workorder/errors.go", workOrderCodes},
		{"../domain/rainyday/rainyday.go", rainyDayCodes},
		{"../domain/staff/staff.go", staffCodes},
		{"../domain/commandcentre/errors.go", commandCentreCodes},
		{"../domain/visit/errors.go", visitCodes},
		{"../domain/vacant/vacant.go", vacantCodes},
		{"../domain/patrol/patrol.go", patrolCodes},
		{"../domain/activity/activity.go", activityCodes},
		{"../domain/archive/archive.go", archiveCodes},
		{"../domain/archive/complaints.go", archiveComplaintRecordCodes},
		{"../domain/warning/warning.go", warningCodes},
		{"../domain/movein/risks.go", moveInRiskCodes},
		{"../domain/staff/quality/quality.go", qualityCodes},
		{"../domain/staff/integrity/integrity.go", integrityCodes},
		{"../domain/token/token.go", tokenCodes},
		{"../domain/staff/training/training.go", trainingCodes},
		{"../domain/staff/workplan/workplan.go", workPlanCodes},
		{"../domain/staff/lostproperty/lostproperty.go", foundPropertyCodes},
		{"../domain/key/errors.go", keyCodes},
		{"../domain/key/reconcile/reconcile.go", keyDayCodes},
		{"../domain/fee/errors.go", feeCodes},
		{"../domain/fee/plan/plan.go", feePlanCodes},
		{"../domain/fee/ledger/ledger.go", feeLedgerCodes},
		{"../domain/renovation/errors.go", renovationCodes},
		{"../domain/renovation/register/register.go", renovationRegisterCodes},
		{"../domain/movein/errors.go", moveInCodes},
		{"../domain/unit/unit.go", unitCodes},
		{"../domain/credential/credential.go", credentialCodes},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), tc.file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		ast.Inspect(f, func(n ast.Node) bool {
			if spec, ok := n.(*ast.ValueSpec); ok {
				for _, id := range spec.Names {
					if strings.HasPrefix(id.Name, "Err") {
						names = append(names, id.Name)
					}
				}
			}
			return true
		})
		if len(names) != len(tc.codes) {
			t.Errorf("%s declares %d errors %v, %d have codes", tc.file, len(names), names, len(tc.codes))
		}
		seen := map[string]bool{}
		for err, code := range tc.codes {
			if !snake.MatchString(code) || seen[code] {
				t.Errorf("%s: code %q for %v is not unique snake_case", tc.file, code, err)
			}
			seen[code] = true
		}
	}
}
