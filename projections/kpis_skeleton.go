package projections

import "encoding/json"

// The complaint and work-order KPIs (R-C3, R-W3, R-W5).
func complaintAndWorkOrderKPIs() []KPI {
	return []KPI{
		{
			Name:        "complaint-return-visit-rate",
			Description: "handled complaints whose owner got a return visit (R-C3)",
			Target:      "100%",
			Index:       ComplaintsIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"status": {"resolved", "visited", "closed"}},
			Measure: Field("return_visited"),
		},
		{
			Name:        "complaint-satisfaction",
			Description: "return visits on valid complaints (有效投诉) rated satisfied (4 or 5 of 5) (R-C3, R-C7)",
			Target:      "100%",
			Index:       ComplaintsIndex, Kind: Rate, MonthField: "month",
			Where: map[string][]string{"return_visited": {"true"}, "valid": {"true"}},
			Measure: func(src json.RawMessage) (float64, bool, error) {
				v, ok, err := Field("satisfaction")(src)
				return v, ok && v >= 4, err
			},
		},
		{
			Name:        "complaint-satisfaction-average",
			Description: "mean satisfaction (1–5) of return visits on valid complaints (R-C3, R-C7)",
			Index:       ComplaintsIndex, Kind: Average, MonthField: "month",
			Where:   map[string][]string{"return_visited": {"true"}, "valid": {"true"}},
			Measure: Field("satisfaction"),
		},
		{
			Name:        "complaint-time-to-close",
			Description: "mean hours from a complaint's registration to its closing, over the complaints registered in the month and closed",
			Index:       ComplaintsIndex, Kind: Average, MonthField: "month",
			Where:   map[string][]string{"status": {"closed"}},
			Measure: Hours("registered_at", "closed_at"),
		},
		{
			Name:        "work-order-sla-breaches",
			Description: "work orders not finished within 3 days without a communication record (R-W3)",
			Target:      "0",
			Index:       WorkOrdersIndex, Kind: Count, MonthField: "month",
			Measure: Field("sla_breached"),
		},
		{
			Name:        "work-order-time-to-close",
			Description: "mean hours from a work order's registration to its closing (after the return visit), over the work orders registered in the month and closed",
			Index:       WorkOrdersIndex, Kind: Average, MonthField: "month",
			Where:   map[string][]string{"status": {"closed"}},
			Measure: Hours("registered_at", "closed_at"),
		},
		{
			Name:        "work-order-return-visit-rate",
			Description: "completed work orders with a return visit (R-W5)",
			Target:      "100%",
			Index:       WorkOrdersIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"status": {"completed", "visited", "closed"}},
			Measure: Field("return_visited"),
		},
		{
			Name:        "urgent-repair-return-visit-24h",
			Description: "completed urgent repairs whose return visit came within 24 h (R-W5)",
			Target:      "100%",
			Index:       WorkOrdersIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"urgent": {"true"}, "status": {"completed", "visited", "closed"}},
			Measure: Field("return_visit_in_time"),
		},
	}
}

// KPIs lists every KPI, by module.
func KPIs() []KPI {
	var all []KPI
	all = append(all, complaintAndWorkOrderKPIs()...)
	all = append(all, complaintRuleKPIs()...)
	all = append(all, workOrderKPIs()...)
	all = append(all, keyKPIs()...)
	all = append(all, feeKPIs()...)
	all = append(all, renovationKPIs()...)
	all = append(all, moveInKPIs()...)
	all = append(all, serviceKPIs()...)
	return all
}
