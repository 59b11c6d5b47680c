package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// CollectMoveInFees records the move-in fees collected, by receipt number (R-M1, R-F2).
type CollectMoveInFees struct {
	MoveInID string   `json:"-"`
	Receipts []string `json:"receipts"`
}

type CollectMoveInFeesHandler struct{ d handlerDeps }

func NewCollectMoveInFeesHandler(store EventStore, clock Clock, ids IDGenerator) CollectMoveInFeesHandler {
	return CollectMoveInFeesHandler{newHandlerDeps(store, clock, ids)}
}

func (h CollectMoveInFeesHandler) Handle(ctx context.Context, m Meta, cmd CollectMoveInFees) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInFeeRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.CollectFees(cmd.Receipts, now)
	})
}
