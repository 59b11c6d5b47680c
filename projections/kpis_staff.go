package projections

// The staff and quality KPIs (R-S2).
func staffKPIs() []KPI {
	return []KPI{
		{
			Name:        "untrained-staff-assigned",
			Description: "dispatches of work orders and complaints to registered staff who had not passed the onboarding assessment (R-S2)",
			Target:      "0",
			Index:       StaffAssignmentsIndex, Kind: Count, MonthField: "month", ButlerField: "assignee",
			Where:   map[string][]string{"kind": {"assignment"}},
			Measure: Field("untrained"),
		},
	}
}
