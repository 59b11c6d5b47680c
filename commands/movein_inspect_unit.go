package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// InspectMoveInUnit records the accompanied unit inspection and the defects found (R-M1, R-M2).
type InspectMoveInUnit struct {
	MoveInID string   `json:"-"`
	Defects  []string `json:"defects"`
	Note     string   `json:"note"`
}

type InspectMoveInUnitHandler struct{ d handlerDeps }

func NewInspectMoveInUnitHandler(store EventStore, clock Clock, ids IDGenerator) InspectMoveInUnitHandler {
	return InspectMoveInUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h InspectMoveInUnitHandler) Handle(ctx context.Context, m Meta, cmd InspectMoveInUnit) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.InspectUnit(cmd.Defects, cmd.Note, now)
	})
}
