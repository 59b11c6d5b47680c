package commands

import (
	"context"
	"time"

	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// CloseShift ends a shift with nothing left open.
type CloseShift struct {
	ShiftID string `json:"-"`
}

type CloseShiftHandler struct{ d handlerDeps }

func NewCloseShiftHandler(store EventStore, clock Clock, ids IDGenerator) CloseShiftHandler {
	return CloseShiftHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseShiftHandler) Handle(ctx context.Context, m Meta, cmd CloseShift) (Result, error) {
	return updateShift(ctx, h.d, m, cmd.ShiftID, func(s *cc.Shift, now time.Time) error { return s.Close(now) })
}
