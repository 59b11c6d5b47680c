package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// LogMessage writes down a customer message received on the shift (R-N1).
// The result's ID is the shift; the message id is generated.
type LogMessage struct {
	ShiftID string `json:"-"`
	From    string `json:"from"`
	Content string `json:"content"`
}

type LogMessageHandler struct{ d handlerDeps }

func NewLogMessageHandler(store EventStore, clock Clock, ids IDGenerator) LogMessageHandler {
	return LogMessageHandler{newHandlerDeps(store, clock, ids)}
}

func (h LogMessageHandler) Handle(ctx context.Context, m Meta, cmd LogMessage) (Result, error) {
	if bad := missing("from", cmd.From, "content", cmd.Content); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	msgID, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	return updateShift(ctx, h.d, m, cmd.ShiftID, func(s *cc.Shift, now time.Time) error {
		return s.LogMessage(msgID, cmd.From, cmd.Content, now)
	})
}
