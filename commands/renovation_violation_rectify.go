package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// RectifyRenovationViolation records that a violation was put right (R-R4).
type RectifyRenovationViolation struct {
	RenovationID string `json:"-"`
	ViolationID  string `json:"violation_id"`
	Note         string `json:"note"`
}

type RectifyRenovationViolationHandler struct{ d handlerDeps }

func NewRectifyRenovationViolationHandler(store EventStore, clock Clock, ids IDGenerator) RectifyRenovationViolationHandler {
	return RectifyRenovationViolationHandler{newHandlerDeps(store, clock, ids)}
}

func (h RectifyRenovationViolationHandler) Handle(ctx context.Context, m Meta, cmd RectifyRenovationViolation) (Result, error) {
	if bad := missing("violation_id", cmd.ViolationID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.RectifyViolation(cmd.ViolationID, cmd.Note, now)
	})
}
