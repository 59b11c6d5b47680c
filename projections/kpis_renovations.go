package projections

import "encoding/json"

// The renovation KPIs (R-R3, R-R4, R-R6). A renovation day exists once it
// was inspected or the policy recorded it missed.
func renovationKPIs() []KPI {
	return []KPI{
		{
			Name:        "renovation-inspection-compliance",
			Description: "days of renovation work with the daily inspection, of days inspected or missed (R-R3)",
			Target:      "100%",
			Index:       RenovationDaysIndex, Kind: Rate, MonthField: "month",
			Measure: Field("inspected"),
		},
		{
			Name:        "renovation-open-violations",
			Description: "renovation violations not yet rectified and closed, by month recorded (R-R4)",
			Target:      "0",
			Index:       RenovationViolationsIndex, Kind: Count, MonthField: "month",
			Measure: Field("open"),
		},
		{
			Name:        "renovation-owner-talks-overdue",
			Description: "renovations whose work went a week without a talk with the owner (R-R7), by the month the gap was recorded; butler= is the renovation's butler",
			Target:      "0",
			Index:       RenovationsIndex, Kind: Count, MonthField: "talk_overdue_months",
			Measure: func(src json.RawMessage) (float64, bool, error) {
				var d struct {
					Months []string `json:"talk_overdue_months"`
				}
				err := json.Unmarshal(src, &d)
				return 0, len(d.Months) > 0, err
			},
		},
		{
			Name:        "renovation-register-checks",
			Description: "weeks with at least two checks of renovation records against the register, of weeks settled (R-R6)",
			Target:      "100%",
			Index:       RenovationRegisterIndex, Kind: Rate, MonthField: "month", ButlerField: "checkers",
			Where:   map[string][]string{"settled": {"true"}},
			Measure: Field("met"),
		},
	}
}
