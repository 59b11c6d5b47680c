package commands

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// The renovation, key, fee and move-in errors each reach the caller with
// their own stable code (same check as TestEveryDomainErrorHasACode).
func TestModuleDomainErrorsHaveCodes(t *testing.T) {
	t.Parallel()
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for _, tc := range []struct {
		file  string
		codes map[error]string
	}{
		{"../domain/key/errors.go", keyCodes},
		{"../domain/key/reconcile/reconcile.go", keyDayCodes},
		{"../domain/fee/errors.go", feeCodes},
		{"../domain/fee/plan/plan.go", feePlanCodes},
		{"../domain/fee/ledger/ledger.go", feeLedgerCodes},
		{"../domain/renovation/errors.go", renovationCodes},
		{"../domain/renovation/register/register.go", renovationRegisterCodes},
		{"../domain/movein/errors.go", moveInCodes},
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
