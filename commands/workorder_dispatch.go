package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/workorder"
)

// DispatchWorkOrder hands the repair to someone (派工).
type DispatchWorkOrder struct {
	WorkOrderID string `json:"-"`
	Assignee    string `json:"assignee"`
}

type DispatchWorkOrderHandler struct {
	d handlerDeps
	// staff, when set, refuses an assignee who has not passed the
	// onboarding assessment (R-S2).
	staff StaffDirectory
}

func NewDispatchWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) DispatchWorkOrderHandler {
	return DispatchWorkOrderHandler{d: newHandlerDeps(store, clock, ids)}
}

func (h DispatchWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd DispatchWorkOrder) (Result, error) {
	if bad := missing("assignee", cmd.Assignee); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := checkAssignee(ctx, h.staff, m, workOrderIntakeRoles, cmd.Assignee); err != nil {
		return Result{}, err
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderIntakeRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.Dispatch(cmd.Assignee, now)
	})
}

// WithStaff returns the handler consulting dir before each dispatch (R-S2).
func (h DispatchWorkOrderHandler) WithStaff(dir StaffDirectory) DispatchWorkOrderHandler {
	h.staff = dir
	return h
}
