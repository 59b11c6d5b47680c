package commands

import (
	"context"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/domain/workorder"
)

// ConfirmWorkOrder records a completed repair's sign-off (R-W4, 维修后由业主
// 签字). An in-home repair is signed by the owner: staff record it, and
// SignedBy names who signed (sealed under the household's key). A
// public-area repair is signed off by the caller, who must be the
// district's butler or a supervisor and not whoever did the repair;
// SignedBy is not used.
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
	by := workorder.Signer{StaffID: m.Principal.StaffID, Role: m.Principal.Role}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderRepairRoles, func(w *workorder.WorkOrder, now time.Time) error {
		if w.Area() == workorder.AreaUnit && strings.TrimSpace(cmd.SignedBy) == "" {
			return apperr.Invalid(map[string]string{"signed_by": "required: who of the household signed the in-home repair"})
		}
		return w.Confirm(cmd.SignedBy, by, func(name string) (household.Sealed, error) {
			return h.d.sealFor(ctx, w.Project(), w.Unit(), name)
		}, now)
	})
}
