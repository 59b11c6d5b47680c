package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// CloseRenovation ends the renovation so the owner may move in: refused until acceptance with every finding fixed (R-R5).
type CloseRenovation struct {
	RenovationID string `json:"-"`
}

type CloseRenovationHandler struct{ d handlerDeps }

func NewCloseRenovationHandler(store EventStore, clock Clock, ids IDGenerator) CloseRenovationHandler {
	return CloseRenovationHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseRenovationHandler) Handle(ctx context.Context, m Meta, cmd CloseRenovation) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.Close(now)
	})
}
