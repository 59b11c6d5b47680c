package projections

// The activity KPIs (R-A2, R-A3).
func activityKPIs() []KPI {
	return []KPI{
		{
			Name:        "activity-approval-lead-time",
			Description: "activities (by the month they take place) approved by operations and quality at least 15 days ahead (R-A2); each record's lead_days is the shortest lead",
			Target:      "100%",
			Index:       ActivitiesIndex, Kind: Rate, MonthField: "month",
			Measure: Field("approved_in_time"),
		},
		{
			Name:        "activity-survey-coverage",
			Description: "held large activities whose satisfaction survey covered at least 25% of participants (R-A3)",
			Target:      "100%",
			Index:       ActivitiesIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"large": {"true"}, "status": {"held", "summarised"}},
			Measure: Field("coverage_met"),
		},
	}
}
