package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// HandOverMoveInKeys records the key handover, the last step: refused before every other step (R-M1).
type HandOverMoveInKeys struct {
	MoveInID string   `json:"-"`
	Keys     []string `json:"keys"`
}

type HandOverMoveInKeysHandler struct{ d handlerDeps }

func NewHandOverMoveInKeysHandler(store EventStore, clock Clock, ids IDGenerator) HandOverMoveInKeysHandler {
	return HandOverMoveInKeysHandler{newHandlerDeps(store, clock, ids)}
}

func (h HandOverMoveInKeysHandler) Handle(ctx context.Context, m Meta, cmd HandOverMoveInKeys) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.HandOverKeys(cmd.Keys, now)
	})
}
