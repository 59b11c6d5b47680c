package projections

// The visit KPIs (R-H1…R-H4).
func visitKPIs() []KPI {
	return []KPI{
		{
			Name:        "visit-ratio",
			Description: "monthly visit plans whose routine visits reached at least 8% of the district's households (R-H1); each plan's visit_ratio is in its record",
			Target:      "100%",
			Index:       VisitPlansIndex, Kind: Rate, MonthField: "month",
			Measure: Field("ratio_met"),
		},
		{
			Name:        "visit-duplicates",
			Description: "routine visits to a household the same butler had already visited that month (R-H1)",
			Target:      "0",
			Index:       VisitsIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"kind": {"visit"}, "visit_kind": {"routine"}},
			Measure: Field("duplicate"),
		},
		{
			Name:        "opinion-feedback-rate",
			Description: "owner opinions raised on visits that were rectified and fed back to the owner (R-H2)",
			Target:      "100%",
			Index:       VisitsIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"kind": {"opinion"}},
			Measure: Field("fed_back"),
		},
		{
			Name:        "required-return-visits-on-time",
			Description: "required return visits (urgent repair 24 h, complaint and misfortune 72 h, leak after rain) made on time, of those done or past their deadline (R-H3)",
			Target:      "100%",
			Index:       ReturnVisitsIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"settled": {"true"}},
			Measure: Field("on_time"),
		},
		{
			Name:        "key-client-visits",
			Description: "supervisors' visits to households in the key-client register (R-H4, R-H7: at least 2 a month per supervisor; ?butler= names the supervisor)",
			Target:      "≥2 a month",
			Index:       VisitsIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"kind": {"visit"}, "visit_kind": {"key_client"}, "key_client": {"true"}},
			Measure: always,
		},
		{
			Name:        "spring-festival-key-client-visits",
			Description: "supervisors' Spring Festival visits to households in the key-client register (R-H4, R-H7)",
			Target:      "every key client at Spring Festival",
			Index:       VisitsIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"kind": {"visit"}, "visit_kind": {"key_client"}, "festival": {"true"}, "key_client": {"true"}},
			Measure: always,
		},
	}
}
