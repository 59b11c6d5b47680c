package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/workorder"
)

// CompleteWorkOrder records the repair's result.
type CompleteWorkOrder struct {
	WorkOrderID string `json:"-"`
	Result      string `json:"result"`
}

type CompleteWorkOrderHandler struct{ d handlerDeps }

func NewCompleteWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) CompleteWorkOrderHandler {
	return CompleteWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h CompleteWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd CompleteWorkOrder) (Result, error) {
	if bad := missing("result", cmd.Result); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderRepairRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.Complete(cmd.Result, now)
	})
}
