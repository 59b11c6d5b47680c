package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/workorder"
)

// VerifyWorkOrderReturnVisit records a supervisor's monthly check that a
// repair's return visit really happened (R-W7): Method call_back (the
// owner called back) or recording (the call's recording checked), Result
// ok, not_reached or false (Note then says what was found). Paid services
// come first: the KPIs return-visit-verification-coverage and
// paid-return-visit-verification measure it.
type VerifyWorkOrderReturnVisit struct {
	WorkOrderID string `json:"-"`
	Method      string `json:"method"`
	Result      string `json:"result"`
	Note        string `json:"note"`
}

type VerifyWorkOrderReturnVisitHandler struct{ d handlerDeps }

func NewVerifyWorkOrderReturnVisitHandler(store EventStore, clock Clock, ids IDGenerator) VerifyWorkOrderReturnVisitHandler {
	return VerifyWorkOrderReturnVisitHandler{newHandlerDeps(store, clock, ids)}
}

func (h VerifyWorkOrderReturnVisitHandler) Handle(ctx context.Context, m Meta, cmd VerifyWorkOrderReturnVisit) (Result, error) {
	if bad := missing("method", cmd.Method, "result", cmd.Result); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderVerifyRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.VerifyReturnVisit(workorder.VerificationMethod(cmd.Method), workorder.VerificationResult(cmd.Result), cmd.Note, now)
	})
}
