package projections

import (
	"fmt"

	"github.com/butler-pm/butler/domain/workorder"
)

// The work-order KPIs added with the required return visits (R-W5), their
// verification (R-W7) and the filing of the forms (R-W8). Each is a Rate
// or Count over the work-orders read model and answers with its records.
func workOrderKPIs() []KPI {
	return []KPI{
		{
			Name: "leak-after-rain-compliance",
			Description: fmt.Sprintf("leak repairs that saw a rainy day after completion whose after-rain return visit came "+
				"within %d days of that first rain, by the end of the last of those days (R-W5); a repair counts once its visit is made or the "+
				"policy has found it overdue", workorder.AfterRainVisitWithinDays),
			Target: "100%",
			Index:  WorkOrdersIndex, Kind: Rate, MonthField: "month",
			Where:   map[string][]string{"leak": {"true"}, "rained_after_completion": {"true"}},
			Measure: Field("after_rain_visit_in_time"),
		},
		{
			Name:        "return-visit-verification-coverage",
			Description: "work orders whose return visits were made in the month that a supervisor verified by call-back or recording (R-W7)",
			Target:      "≥10%",
			Index:       WorkOrdersIndex, Kind: Rate, MonthField: "visit_month",
			Where:   map[string][]string{"return_visited": {"true"}},
			Measure: Field("verified"),
		},
		{
			Name:        "paid-return-visit-verification",
			Description: "paid-service work orders (有偿服务) whose return visits were made in the month that a supervisor verified (R-W7: paid services first)",
			Target:      "100%",
			Index:       WorkOrdersIndex, Kind: Rate, MonthField: "visit_month",
			Where:   map[string][]string{"paid": {"true"}, "return_visited": {"true"}},
			Measure: Field("verified"),
		},
		{
			Name:        "return-visits-found-false",
			Description: "verified return visits of the month that the verification found did not happen as recorded (R-W7)",
			Target:      "0",
			Index:       WorkOrdersIndex, Kind: Count, MonthField: "visit_month",
			Where:   map[string][]string{"verified": {"true"}},
			Measure: Field("visit_found_false"),
		},
		{
			Name:        "work-order-forms-unfiled",
			Description: "closed in-home repairs whose repair slip, dispatch slip and service record are not yet in the owner's archive (R-W8)",
			Target:      "0",
			Index:       WorkOrdersIndex, Kind: Count, MonthField: "month",
			Where:   map[string][]string{"area": {"unit"}, "status": {"closed"}},
			Measure: Field("forms_unfiled"),
		},
	}
}
