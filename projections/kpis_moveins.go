package projections

// The move-in KPIs (R-M1, R-M2).
func moveInKPIs() []KPI {
	return []KPI{
		{
			Name:        "move-in-steps-completed",
			Description: "move-ins with every R-M1 step done, keys handed over last, by month opened (R-M1)",
			Target:      "100%",
			Index:       MoveInsIndex, Kind: Rate, MonthField: "month",
			Measure: Field("completed"),
		},
		{
			Name:        "move-in-steps-average",
			Description: "mean number of the six R-M1 steps recorded per move-in",
			Index:       MoveInsIndex, Kind: Average, MonthField: "month",
			Measure: Field("steps_completed"),
		},
		{
			Name:        "move-in-defects-open",
			Description: "inspection defects not yet resolved by the developer, by month found (R-M2)",
			Target:      "0",
			Index:       MoveInDefectsIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"kind": {"defect"}},
			Measure: Field("open"),
		},
	}
}
