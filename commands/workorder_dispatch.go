package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
)

// DispatchWorkOrder hands the repair to someone (派工).
type DispatchWorkOrder struct {
	WorkOrderID string `json:"-"`
	Assignee    string `json:"assignee"`
}

type DispatchWorkOrderHandler struct{ d handlerDeps }

func NewDispatchWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) DispatchWorkOrderHandler {
	return DispatchWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h DispatchWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd DispatchWorkOrder) (Result, error) {
	if bad := missing("assignee", cmd.Assignee); bad != nil {
		return Result{}, Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderIntakeRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.Dispatch(cmd.Assignee, now)
	})
}
