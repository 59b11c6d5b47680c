package projections

import "testing"

// A KPI's target reads as a number a table colours cells against, and the
// direction that is better.
func TestKPITargetValue(t *testing.T) {
	t.Parallel()
	byName := map[string]KPI{}
	for _, k := range KPIs() {
		byName[k.Name] = k
	}
	for _, c := range []struct {
		name   string
		target any // float64, or nil for none
		higher bool
	}{
		{"complaint-satisfaction", 1.0, true},
		{"work-order-sla-breaches", 0.0, false},
		{"spot-check-coverage", 0.2, true},
		{"handover-checks-per-month", 2.0, true},
		{"activity-summary-on-time", 1.0, true},
		{"patrol-days", nil, true},
		{"complaint-time-to-close", nil, false},
		{"fee-arrears-31-90", nil, false},
	} {
		k, ok := byName[c.name]
		if !ok {
			t.Fatalf("no KPI %s", c.name)
		}
		got, higher := k.TargetValue()
		switch want := c.target.(type) {
		case nil:
			if got != nil {
				t.Errorf("%s (%q): target %v, want none", c.name, k.Target, *got)
			}
		case float64:
			if got == nil || *got != want {
				t.Errorf("%s (%q): target %v, want %v", c.name, k.Target, got, want)
			}
		}
		if higher != c.higher {
			t.Errorf("%s: higher is better %v, want %v", c.name, higher, c.higher)
		}
	}
	// Every KPI's target of "100%" reads 1, of "0" reads 0 with lower better.
	for _, k := range KPIs() {
		got, higher := k.TargetValue()
		if k.Target == "100%" && (got == nil || *got != 1 || !higher) || k.Target == "0" && (got == nil || *got != 0 || higher) {
			t.Errorf("%s: target %q read as %v, higher %v", k.Name, k.Target, got, higher)
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	t.Parallel()
	got, err := MonthsBetween("2025-11", "2026-02")
	if err != nil || len(got) != 4 || got[0] != "2025-11" || got[3] != "2026-02" {
		t.Fatalf("%v %v", got, err)
	}
	if got, _ := MonthsBetween("2026-03", "2026-02"); len(got) != 0 {
		t.Fatalf("backwards: %v", got)
	}
}
