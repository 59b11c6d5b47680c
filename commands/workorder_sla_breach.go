package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
)

// RecordSLABreach is the policy command for R-W3: a repair not completed
// within 3 days of registration, with no communication with the owner in
// those days, gets workorder.sla_breached.v1 once. The actor is the system.
type RecordSLABreach struct {
	WorkOrderID string `json:"work_order_id"`
}

type RecordSLABreachHandler struct{ d handlerDeps }

func NewRecordSLABreachHandler(store EventStore, clock Clock, ids IDGenerator) RecordSLABreachHandler {
	return RecordSLABreachHandler{newHandlerDeps(store, clock, ids)}
}

// Handle ignores m.Principal and m.IfMatch; what it records is caused by
// the work order's latest event (recordAsSystem), unless m names a cause.
func (h RecordSLABreachHandler) Handle(ctx context.Context, m Meta, cmd RecordSLABreach) (PolicyResult, error) {
	return recordWorkOrderPolicy(ctx, h.d, m, cmd.WorkOrderID, func(w *workorder.WorkOrder, now time.Time) (bool, error) {
		return w.RecordSLABreach(now)
	})
}
