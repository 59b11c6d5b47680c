package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// HandleMessage records what was done about a message.
type HandleMessage struct {
	ShiftID   string `json:"-"`
	MessageID string `json:"message_id"`
	Result    string `json:"result"`
}

type HandleMessageHandler struct{ d handlerDeps }

func NewHandleMessageHandler(store EventStore, clock Clock, ids IDGenerator) HandleMessageHandler {
	return HandleMessageHandler{newHandlerDeps(store, clock, ids)}
}

func (h HandleMessageHandler) Handle(ctx context.Context, m Meta, cmd HandleMessage) (Result, error) {
	if bad := missing("message_id", cmd.MessageID, "result", cmd.Result); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateShift(ctx, h.d, m, cmd.ShiftID, func(s *cc.Shift, now time.Time) error {
		return s.HandleMessage(cmd.MessageID, cmd.Result, now)
	})
}
