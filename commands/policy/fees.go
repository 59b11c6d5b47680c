package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/projections"
)

// feeWeeksWindow is how many ended weeks the R-F4 weekly rule looks back.
const feeWeeksWindow = 2

// feeWeeksUnreconciled is R-F4: an ended week, from the week of the
// project's first bill, in which nobody reconciled the customer-service
// ledger with the cashier ledger.
func feeWeeksUnreconciled(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		return eachProject(ctx, reads, projections.FeeBillsIndex, projections.FeeBillFieldProject, func(project string) (int, error) {
			firstBill, ok, err := first[projections.FeeBill](ctx, reads, projections.FeeBillsIndex, projections.Query{
				Terms: terms{projections.FeeBillFieldProject: {project}},
				Sort:  []projections.Sort{{Field: projections.FeeBillFieldIssuedAt}}})
			if err != nil || !ok {
				return 0, err
			}
			firstWeek, _ := cashbook.WeekStart(cashbook.WeekOf(firstBill.IssuedAt))
			var missed []string
			for i := feeWeeksWindow; i >= 1; i-- {
				week := cashbook.WeekOf(now.AddDate(0, 0, -7*i))
				start, _ := cashbook.WeekStart(week)
				if start.Before(firstWeek) {
					continue
				}
				done, err := reads.Search(ctx, projections.FeeReconciliationsIndex, projections.Query{Terms: terms{
					projections.FeeReconciliationFieldProject: {project},
					projections.FeeReconciliationFieldWeek:    {week},
				}, Size: 1})
				if err != nil {
					return 0, err
				}
				if done.Total == 0 {
					missed = append(missed, week)
				}
			}
			return recordAll(ctx, missed, func(ctx context.Context, week string) (bool, error) {
				return h.RecordFeeWeekUnreconciled(ctx, project, week)
			})
		})
	}
}
