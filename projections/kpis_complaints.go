package projections

import "encoding/json"

// complaintRuleKPIs are the KPIs of R-C2, R-C8 and the project manager's
// warnings (R-C4, R-H5); complaint-satisfaction (valid complaints only,
// R-C7) and the others are in kpis_skeleton.go.
func complaintRuleKPIs() []KPI {
	return []KPI{
		{
			Name:        "complaint-resolved-in-time",
			Description: "resolved complaints resolved by their deadline (24 h for leaks, lifts, safety and entrance control; 72 h otherwise) (R-C2)",
			Target:      "100%",
			Index:       ComplaintsIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"status": {"resolved", "visited", "closed"}},
			Measure: Field("resolved_in_time"),
		},
		{
			Name:        "complaint-overdue-unexplained",
			Description: "complaints that ran past their deadline without the owner being told why and by when before it (R-C2)",
			Target:      "0",
			Index:       ComplaintsIndex, Kind: Count, MonthField: "month",
			Measure: Field("overdue_unexplained"),
		},
		{
			Name:        "complaint-daily-review-missed",
			Description: "complaints with a day, while unresolved, on which no supervisor looked at them (R-C8)",
			Target:      "0",
			Index:       ComplaintsIndex, Kind: Count, MonthField: "month",
			Measure: Field("review_missed"),
		},
		{
			Name:        "warnings-open",
			Description: "warnings to the project manager (group-complaint risk R-C4, visits' common problems R-H5, hand-over-site risks R-M4) not yet acknowledged",
			Target:      "0",
			Index:       WarningsIndex, Kind: Count, MonthField: "month", ButlerField: "raised_by",
			Where:   map[string][]string{"status": {"open"}},
			Measure: func(json.RawMessage) (float64, bool, error) { return 0, true, nil },
		},
		{
			Name:        "warning-time-to-acknowledge",
			Description: "mean hours from a warning to the project manager's acknowledgement, over the month's acknowledged warnings (R-C4, R-H5, R-M4)",
			Index:       WarningsIndex, Kind: Average, MonthField: "month", ButlerField: "raised_by",
			Where:   map[string][]string{"status": {"acknowledged"}},
			Measure: Field("hours_to_acknowledge"),
		},
	}
}
