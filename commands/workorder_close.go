package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
)

// CloseWorkOrder ends a work order; refused without the return visit and,
// for an in-home repair, without the owner's confirmation.
type CloseWorkOrder struct {
	WorkOrderID string `json:"-"`
}

type CloseWorkOrderHandler struct{ d handlerDeps }

func NewCloseWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) CloseWorkOrderHandler {
	return CloseWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd CloseWorkOrder) (Result, error) {
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderVisitRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.Close(now)
	})
}
