package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// DisposeFoundProperty records the project manager's disposal of an item
// unclaimed for 90 days: police, donated, destroyed or other, and why.
type DisposeFoundProperty struct {
	ItemID string `json:"-"`
	Method string `json:"method"`
	Reason string `json:"reason"`
}

type DisposeFoundPropertyHandler struct{ d handlerDeps }

func NewDisposeFoundPropertyHandler(store EventStore, clock Clock, ids IDGenerator) DisposeFoundPropertyHandler {
	return DisposeFoundPropertyHandler{newHandlerDeps(store, clock, ids)}
}

func (h DisposeFoundPropertyHandler) Handle(ctx context.Context, m Meta, cmd DisposeFoundProperty) (Result, error) {
	return updateFoundProperty(ctx, h.d, m, cmd.ItemID, foundPropertyDisposeRoles, func(it *lostproperty.Item, now time.Time) error {
		return it.Dispose(cmd.Method, cmd.Reason, now)
	})
}
