package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// InspectRenovation records today's inspection, every checklist item true (in order) or false (R-R3).
type InspectRenovation struct {
	RenovationID string          `json:"-"`
	Checklist    map[string]bool `json:"checklist"`
	Note         string          `json:"note"`
}

type InspectRenovationHandler struct{ d handlerDeps }

func NewInspectRenovationHandler(store EventStore, clock Clock, ids IDGenerator) InspectRenovationHandler {
	return InspectRenovationHandler{newHandlerDeps(store, clock, ids)}
}

func (h InspectRenovationHandler) Handle(ctx context.Context, m Meta, cmd InspectRenovation) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.Inspect(cmd.Checklist, cmd.Note, now)
	})
}
