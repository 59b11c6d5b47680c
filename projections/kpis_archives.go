package projections

import "encoding/json"

// The archive KPIs (R-D2).
func archiveKPIs() []KPI {
	return []KPI{
		{
			Name: "archive-checks-missed",
			Description: "archives whose catalogue was not checked against their contents in a calendar quarter (R-D2: each archive at least once a quarter, " +
				"from the first full quarter after its opening); a quarter counts in its last month (?month=2026-09 for 2026-Q3)",
			Target: "0",
			Index:  ArchivesIndex, Kind: Count, MonthField: "missed_months",
			Measure: func(src json.RawMessage) (float64, bool, error) {
				var a struct {
					ChecksMissed int `json:"checks_missed"`
				}
				err := json.Unmarshal(src, &a)
				return 0, a.ChecksMissed > 0, err
			},
		},
	}
}
