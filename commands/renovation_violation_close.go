package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// CloseRenovationViolation closes a rectified violation (R-R4: open until rectified).
type CloseRenovationViolation struct {
	RenovationID string `json:"-"`
	ViolationID  string `json:"violation_id"`
}

type CloseRenovationViolationHandler struct{ d handlerDeps }

func NewCloseRenovationViolationHandler(store EventStore, clock Clock, ids IDGenerator) CloseRenovationViolationHandler {
	return CloseRenovationViolationHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseRenovationViolationHandler) Handle(ctx context.Context, m Meta, cmd CloseRenovationViolation) (Result, error) {
	if bad := missing("violation_id", cmd.ViolationID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.CloseViolation(cmd.ViolationID, now)
	})
}
