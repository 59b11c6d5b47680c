package httpapi

import (
	"testing"
	"unicode"

	"github.com/butler-pm/butler/projections"
)

// Analysts and the console read KPIs by their Chinese titles: a KPI added
// without one would show its code name.
func TestEveryKPIHasAChineseTitle(t *testing.T) {
	for _, k := range projections.KPIs() {
		title, ok := kpiTitles[k.Name]
		chinese := false
		for _, r := range title {
			chinese = chinese || unicode.Is(unicode.Han, r)
		}
		if !ok || !chinese {
			t.Errorf("KPI %s has no Chinese title: add it to kpiTitles in infra/httpapi/analyst.go (%s)", k.Name, k.Description)
		}
	}
}
