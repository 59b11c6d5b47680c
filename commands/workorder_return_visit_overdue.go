package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
)

// RecordReturnVisitOverdue is the policy command for R-W5: an urgent
// repair without a return visit 24 h after completion gets
// workorder.return_visit_overdue.v1 once. The actor is the system.
type RecordReturnVisitOverdue struct {
	WorkOrderID string `json:"work_order_id"`
}

type RecordReturnVisitOverdueHandler struct{ d handlerDeps }

func NewRecordReturnVisitOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordReturnVisitOverdueHandler {
	return RecordReturnVisitOverdueHandler{newHandlerDeps(store, clock, ids)}
}

// Handle ignores m.Principal and m.IfMatch; what it records is caused by
// the work order's latest event (recordAsSystem), unless m names a cause.
func (h RecordReturnVisitOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordReturnVisitOverdue) (PolicyResult, error) {
	return recordWorkOrderPolicy(ctx, h.d, m, cmd.WorkOrderID, func(w *workorder.WorkOrder, now time.Time) (bool, error) {
		return w.RecordReturnVisitOverdue(now)
	})
}
