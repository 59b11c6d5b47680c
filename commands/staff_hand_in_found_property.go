package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// HandInFoundProperty records that the caller, a keeper of the service
// centre, received a found item from its finder (R-S9: 拾遗上交).
type HandInFoundProperty struct {
	ItemID  string `json:"-"`
	Storage string `json:"storage,omitempty"`
}

type HandInFoundPropertyHandler struct{ d handlerDeps }

func NewHandInFoundPropertyHandler(store EventStore, clock Clock, ids IDGenerator) HandInFoundPropertyHandler {
	return HandInFoundPropertyHandler{newHandlerDeps(store, clock, ids)}
}

func (h HandInFoundPropertyHandler) Handle(ctx context.Context, m Meta, cmd HandInFoundProperty) (Result, error) {
	return updateFoundProperty(ctx, h.d, m, cmd.ItemID, foundPropertyKeeperRoles, func(it *lostproperty.Item, now time.Time) error {
		return it.HandIn(m.Principal.StaffID, cmd.Storage, now)
	})
}
