package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// workOrderForms is R-W8's filing rule: every closed in-home repair whose
// forms (报修单、派工单、服务记录表) are not filed goes to the archive of its
// unit, and the command files them there and records it on the work order.
// A unit without an archive leaves the repair pending, which the
// work-order-forms-unfiled KPI shows. Like R-K5's loan forms
// (keyforms.go), one archive search per project per page.
func workOrderForms(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, _ time.Time) (int, error) {
		return recordPages(ctx, reads, projections.WorkOrdersIndex, projections.Query{
			Terms: terms{projections.WorkOrderFieldFormsUnfiled: {"true"}},
		}, func(hits []projections.Document) ([]string, recorder, error) {
			orders := make([]projections.WorkOrder, len(hits))
			units := map[string][]string{} // project → units of this page
			for i, hit := range hits {
				w, err := decode[projections.WorkOrder](hit)
				if err != nil {
					return nil, nil, err
				}
				orders[i] = w
				units[w.Project] = append(units[w.Project], w.Unit)
			}
			archives := map[[2]string]string{}
			for project, us := range units {
				found, err := unitArchives(ctx, reads, project, us)
				if err != nil {
					return nil, nil, err
				}
				for unit, id := range found {
					archives[[2]string{project, unit}] = id
				}
			}
			var ids []string
			archiveOf := map[string]string{}
			for _, w := range orders {
				if arc, ok := archives[[2]string{w.Project, w.Unit}]; ok {
					ids, archiveOf[w.ID] = append(ids, w.ID), arc
				}
			}
			return ids, func(ctx context.Context, id string) (bool, error) {
				return h.FileWorkOrderForms(ctx, id, archiveOf[id])
			}, nil
		})
	}
}
