package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/workorder"
)

// StartWorkOrder records that work began.
type StartWorkOrder struct {
	WorkOrderID string `json:"-"`
}

type StartWorkOrderHandler struct{ d handlerDeps }

func NewStartWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) StartWorkOrderHandler {
	return StartWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h StartWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd StartWorkOrder) (Result, error) {
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderRepairRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.Start(now)
	})
}
