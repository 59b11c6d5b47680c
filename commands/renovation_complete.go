package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// CompleteRenovation records that the work finished; refused while a violation is open.
type CompleteRenovation struct {
	RenovationID string `json:"-"`
}

type CompleteRenovationHandler struct{ d handlerDeps }

func NewCompleteRenovationHandler(store EventStore, clock Clock, ids IDGenerator) CompleteRenovationHandler {
	return CompleteRenovationHandler{newHandlerDeps(store, clock, ids)}
}

func (h CompleteRenovationHandler) Handle(ctx context.Context, m Meta, cmd CompleteRenovation) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.Complete(now)
	})
}
