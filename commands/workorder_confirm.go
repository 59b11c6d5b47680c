package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/domain/workorder"
)

// ConfirmWorkOrder records the owner's signature on a completed repair
// (R-W4); staff record it, SignedBy names who signed.
type ConfirmWorkOrder struct {
	WorkOrderID string `json:"-"`
	SignedBy    string `json:"signed_by"`
}

type ConfirmWorkOrderHandler struct{ d handlerDeps }

func NewConfirmWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) ConfirmWorkOrderHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return ConfirmWorkOrderHandler{d}
}

func (h ConfirmWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd ConfirmWorkOrder) (Result, error) {
	if bad := missing("signed_by", cmd.SignedBy); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderRepairRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.ConfirmByOwner(cmd.SignedBy, func(name string) (household.Sealed, error) {
			return h.d.sealFor(ctx, w.Project(), w.Unit(), name)
		}, now)
	})
}
