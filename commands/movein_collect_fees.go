package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// CollectMoveInFees records the move-in fees collected, by receipt number
// (R-M1, R-F2); with the fee ledger at hand (the server), each receipt is
// linked to the unit's bill it paid, and one no bill has is refused (R-M3).
type CollectMoveInFees struct {
	MoveInID string   `json:"-"`
	Receipts []string `json:"receipts"`
}

type CollectMoveInFeesHandler struct {
	d     handlerDeps
	bills ReceiptBills
}

func NewCollectMoveInFeesHandler(store EventStore, clock Clock, ids IDGenerator) CollectMoveInFeesHandler {
	return CollectMoveInFeesHandler{d: newHandlerDeps(store, clock, ids)}
}

func (h CollectMoveInFeesHandler) Handle(ctx context.Context, m Meta, cmd CollectMoveInFees) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInFeeRoles, func(mi *movein.MoveIn, now time.Time) error {
		if h.bills != nil {
			return linkReceipts(ctx, h.bills, mi, cmd.Receipts, now)
		}
		return mi.CollectFees(cmd.Receipts, now)
	})
}
