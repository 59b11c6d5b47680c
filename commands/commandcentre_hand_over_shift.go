package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// HandOverShift passes the open messages to the next operator (R-N1).
type HandOverShift struct {
	ShiftID string `json:"-"`
	To      string `json:"to"`
}

type HandOverShiftHandler struct{ d handlerDeps }

func NewHandOverShiftHandler(store EventStore, clock Clock, ids IDGenerator) HandOverShiftHandler {
	return HandOverShiftHandler{newHandlerDeps(store, clock, ids)}
}

func (h HandOverShiftHandler) Handle(ctx context.Context, m Meta, cmd HandOverShift) (Result, error) {
	if bad := missing("to", cmd.To); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateShift(ctx, h.d, m, cmd.ShiftID, func(s *cc.Shift, now time.Time) error {
		return s.HandOver(cmd.To, now)
	})
}
