package projections

import "encoding/json"

func always(json.RawMessage) (float64, bool, error) { return 0, true, nil }

// The command-centre KPIs (R-N1…R-N3).
func commandCentreKPIs() []KPI {
	return []KPI{
		{
			Name:        "night-messages-unhandled",
			Description: "customer messages received on night shifts that are neither handled nor handed over to the day shift (R-N1)",
			Target:      "0",
			Index:       CCMessagesIndex, Kind: Count, MonthField: "month", ButlerField: "operator",
			Where:   map[string][]string{"kind": {"message"}, "night": {"true"}},
			Measure: Field("unhandled"),
		},
		{
			Name:        "drills-per-month",
			Description: "emergency drills held (R-N2: at least one a month)",
			Target:      "≥1 a month",
			Index:       CCRecordsIndex, Kind: Count, MonthField: "month", ButlerField: "by",
			Where:   map[string][]string{"kind": {"drill"}},
			Measure: always,
		},
		{
			Name:        "handover-checks-per-month",
			Description: "checks of handed-over items (R-N3: at least twice a month)",
			Target:      "≥2 a month",
			Index:       CCRecordsIndex, Kind: Count, MonthField: "month", ButlerField: "by",
			Where:   map[string][]string{"kind": {"handover_check"}},
			Measure: always,
		},
	}
}
