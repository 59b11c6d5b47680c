package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// RecordMoveInOccupied records that the owner took up residence (房态: occupied).
type RecordMoveInOccupied struct {
	MoveInID string `json:"-"`
}

type RecordMoveInOccupiedHandler struct{ d handlerDeps }

func NewRecordMoveInOccupiedHandler(store EventStore, clock Clock, ids IDGenerator) RecordMoveInOccupiedHandler {
	return RecordMoveInOccupiedHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordMoveInOccupiedHandler) Handle(ctx context.Context, m Meta, cmd RecordMoveInOccupied) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.RecordOccupied(now)
	})
}
