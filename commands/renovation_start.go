package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// StartRenovation records that work began: refused before the site check and the briefing (R-R2).
type StartRenovation struct {
	RenovationID string `json:"-"`
}

type StartRenovationHandler struct{ d handlerDeps }

func NewStartRenovationHandler(store EventStore, clock Clock, ids IDGenerator) StartRenovationHandler {
	return StartRenovationHandler{newHandlerDeps(store, clock, ids)}
}

func (h StartRenovationHandler) Handle(ctx context.Context, m Meta, cmd StartRenovation) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.Start(now)
	})
}
