package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/key"
)

// ReturnKey closes the loan (R-K2).
type ReturnKey struct {
	KeyID string `json:"-"`
}

type ReturnKeyHandler struct{ d handlerDeps }

func NewReturnKeyHandler(store EventStore, clock Clock, ids IDGenerator) ReturnKeyHandler {
	return ReturnKeyHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReturnKeyHandler) Handle(ctx context.Context, m Meta, cmd ReturnKey) (Result, error) {
	return updateKey(ctx, h.d, m, cmd.KeyID, keyCustodianRoles, func(k *key.Key, now time.Time) error {
		return k.Return(now)
	})
}
