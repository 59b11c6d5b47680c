package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// RecordMoveInOccupied records that the owner took up residence (房态:
// occupied); refused while the unit's renovation is open (R-R5).
type RecordMoveInOccupied struct {
	MoveInID string `json:"-"`
}

type RecordMoveInOccupiedHandler struct {
	d           handlerDeps
	renovations UnitRenovations
}

func NewRecordMoveInOccupiedHandler(store EventStore, clock Clock, ids IDGenerator) RecordMoveInOccupiedHandler {
	return RecordMoveInOccupiedHandler{d: newHandlerDeps(store, clock, ids)}
}

func (h RecordMoveInOccupiedHandler) Handle(ctx context.Context, m Meta, cmd RecordMoveInOccupied) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		if err := checkNoOpenRenovation(ctx, h.d, h.renovations, mi.Project(), mi.Unit()); err != nil {
			return err
		}
		return mi.RecordOccupied(now)
	})
}
