package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// ReturnFoundProperty records a held item given back to its owner, named
// by unit (or "visitor") and the proof of ownership checked: no names or
// phones (R-D3).
type ReturnFoundProperty struct {
	ItemID       string `json:"-"`
	ClaimantUnit string `json:"claimant_unit"`
	Proof        string `json:"proof"`
}

type ReturnFoundPropertyHandler struct{ d handlerDeps }

func NewReturnFoundPropertyHandler(store EventStore, clock Clock, ids IDGenerator) ReturnFoundPropertyHandler {
	return ReturnFoundPropertyHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReturnFoundPropertyHandler) Handle(ctx context.Context, m Meta, cmd ReturnFoundProperty) (Result, error) {
	return updateFoundProperty(ctx, h.d, m, cmd.ItemID, foundPropertyKeeperRoles, func(it *lostproperty.Item, now time.Time) error {
		return it.Return(cmd.ClaimantUnit, cmd.Proof, now)
	})
}
