package projections

import "encoding/json"

// The activity KPIs (R-A2, R-A3, R-A4).
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
		{
			// An Average of 1 (summarised within 3 days) and 0 (3 days passed
			// without a summary): a rate over the activities whose outcome is
			// known, so one held yesterday does not count against.
			Name:        "activity-summary-on-time",
			Description: "share of held activities whose summary was written within 3 days of the activity, over those summarised in time or overdue (R-A4)",
			Target:      "1 (all)",
			Index:       ActivitiesIndex, Kind: Average, MonthField: "month",
			Where: map[string][]string{"status": {"held", "summarised"}},
			Measure: func(src json.RawMessage) (float64, bool, error) {
				// Field reads a bool as its ok result.
				_, inTime, err := Field("summary_in_time")(src)
				if err != nil {
					return 0, false, err
				}
				_, overdue, err := Field("summary_overdue")(src)
				switch {
				case err != nil:
					return 0, false, err
				case inTime:
					return 1, true, nil
				case overdue:
					return 0, true, nil
				}
				return 0, false, nil
			},
		},
	}
}
