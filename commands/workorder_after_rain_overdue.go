package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
)

// RecordAfterRainVisitOverdue is the policy command for R-W5's leak rule:
// a leak repair without its after-rain return visit by the end of the
// third day after the first rainy day following the repair gets
// workorder.after_rain_visit_overdue.v1 once. The actor is the system.
type RecordAfterRainVisitOverdue struct {
	WorkOrderID string `json:"work_order_id"`
}

type RecordAfterRainVisitOverdueHandler struct{ d handlerDeps }

func NewRecordAfterRainVisitOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordAfterRainVisitOverdueHandler {
	return RecordAfterRainVisitOverdueHandler{newHandlerDeps(store, clock, ids)}
}

// Handle ignores m.Principal and m.IfMatch; what it records is caused by
// the work order's latest event, unless m names a cause.
func (h RecordAfterRainVisitOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordAfterRainVisitOverdue) (PolicyResult, error) {
	return recordWorkOrderPolicy(ctx, h.d, m, cmd.WorkOrderID, func(w *workorder.WorkOrder, now time.Time) (bool, error) {
		if !w.Leak() {
			return false, nil
		}
		days, err := projectRainyDays(ctx, h.d, w.Project(), now.Location())
		if err != nil {
			return false, err
		}
		return w.RecordAfterRainVisitOverdue(days, now)
	})
}
