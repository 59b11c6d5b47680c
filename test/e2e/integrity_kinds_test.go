package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/butler-pm/butler/test/harness"
)

// R-S9 with R-S6: reports name the prohibited act; operations count them
// by kind without seeing who reported what.
func TestIntegrityReportsByProhibitedAct(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	ops := b.Token("operations", "op-1", "p1", "")
	for _, r := range []map[string]any{
		{"kind": "side_job", "subject": "某维修工", "content": "工作时间在外接私活"},
		{"kind": "bribery", "subject": "装修押金", "content": "有人私下收取装修押金", "anonymous": true},
		{"subject": "某收费员", "content": "收费不给票据"},
	} {
		b.Must(201, "POST", "/api/v1/integrity-reports", butler, r)
	}
	harness.Problem(t, b.Do("POST", "/api/v1/integrity-reports", butler, map[string]any{"kind": "gossip", "subject": "某人", "content": "闲聊"}),
		422, "unknown_report_kind")
	b.WaitFor("/api/v1/integrity-reports?size=0&facets=true", ops, func(m map[string]any) error {
		counts := map[string]any{}
		kinds, _ := m["facets"].(map[string]any)["kind"].([]any)
		for _, k := range kinds {
			k := k.(map[string]any)
			counts[fmt.Sprint(k["term"])] = k["count"]
		}
		if fmt.Sprint(counts["side_job"], counts["bribery"], counts["other"]) != "1 1 1" {
			return fmt.Errorf("facets by kind: %v", m["facets"])
		}
		return nil
	})
	list := b.Must(200, "GET", "/api/v1/integrity-reports?kind=bribery", ops, nil)
	if total, _ := list.JSON["total"].(float64); total != 1 || strings.Contains(string(list.Raw), "押金") {
		t.Fatalf("bribery reports: %s (want one, without its subject or content)", list.Raw)
	}
}
