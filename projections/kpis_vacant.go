package projections

// The vacant-unit and patrol KPIs (R-V1, R-V4).
func vacantKPIs() []KPI {
	return []KPI{
		{
			Name:        "vacant-unit-compliance",
			Description: "vacant unit-months with inspection, ventilation and cleaning all done (R-V1); a unit-month with none appears once the month-end policy records it; the month a unit was occupied in is not a vacant month",
			Target:      "100%",
			Index:       VacantMonthsIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"kind": {"month"}},
			Measure: Field("compliant"),
		},
		{
			Name:        "special-weather-vacant-service",
			Description: "extra services of vacant units after special weather done by their due time (the end of the day after the weather), of those settled (R-V2), by the weather's month",
			Target:      "100%",
			Index:       VacantMonthsIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"kind": {"weather_service"}, "settled": {"true"}},
			Measure: Field("served"),
		},
		{
			Name:        "patrol-days",
			Description: "days on which the butler patrolled the district's public areas (R-V4: daily)",
			Target:      "every working day",
			Index:       PatrolsIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"kind": {"day"}},
			Measure: always,
		},
	}
}
