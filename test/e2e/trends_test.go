package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

func TestSatisfactionTrendByMonthAndCategory(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	analyst := b.Token("analyst", "a-001", "p1", "")
	visit := func(category string, satisfaction int) {
		r := b.Must(201, "POST", "/api/v1/complaints", butler, map[string]any{"unit": "1-2-303", "owner": "陈静", "phone": "13500004444",
			"category": category, "description": "业主投诉" + category + "问题", "soothing": "已安抚"})
		p := "/api/v1/complaints/" + r.JSON["id"].(string)
		b.Must(200, "POST", p+"/dispatch", butler, map[string]any{"assignee": "b-001"})
		b.Must(200, "POST", p+"/resolve", butler, map[string]any{"resolution": "已处理", "valid": true, "validity_reason": "属实"})
		b.Must(200, "POST", p+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": satisfaction})
	}
	visit("噪音", 2)
	visit("噪音", 4)
	b.Clock.Advance(31 * 24 * time.Hour) // April
	visit("卫生", 5)

	got := b.WaitFor("/api/v1/trends/satisfaction?by=month", analyst, func(m map[string]any) error {
		if fmt.Sprint(m["points"]) == "[]" || len(m["points"].([]any)) != 2 {
			return fmt.Errorf("points %v", m["points"])
		}
		return nil
	})
	pts := got["points"].([]any)
	march, april := pts[0].(map[string]any), pts[1].(map[string]any)
	if march["group"] != "2026-03" || march["visits"] != float64(2) || march["average"] != float64(3) ||
		april["group"] != "2026-04" || april["average"] != float64(5) {
		t.Fatalf("trend by month: %v", pts)
	}
	byCat := b.Must(200, "GET", "/api/v1/trends/satisfaction?by=category&month=2026-03", analyst, nil).JSON["points"].([]any)
	if len(byCat) != 1 || byCat[0].(map[string]any)["group"] != "噪音" {
		t.Fatalf("trend by category in March: %v", byCat)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/trends/satisfaction?by=weather", analyst, nil), 400, "invalid_query")
}
