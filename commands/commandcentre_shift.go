package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
)

// OpenShift starts the caller's duty shift. Previous names the shift
// before, whose handed-over messages this shift takes on (R-N1).
type OpenShift struct {
	Night    bool   `json:"night"`
	Previous string `json:"previous,omitempty"`
}

type OpenShiftHandler struct{ d handlerDeps }

func NewOpenShiftHandler(store EventStore, clock Clock, ids IDGenerator) OpenShiftHandler {
	return OpenShiftHandler{newHandlerDeps(store, clock, ids)}
}

func (h OpenShiftHandler) Handle(ctx context.Context, m Meta, cmd OpenShift) (Result, error) {
	if err := requireRole(m.Principal, shiftRoles...); err != nil {
		return Result{}, err
	}
	var previous *cc.Shift
	if cmd.Previous != "" {
		hist, err := h.d.readHistory(ctx, commandcentre.ShiftStream(cmd.Previous), cc.Decode)
		if err != nil {
			return Result{}, err
		}
		if !hist.exists {
			return Result{}, apperr.Errorf(apperr.NotFound, "not_found", "shift %s does not exist", cmd.Previous)
		}
		if previous, err = cc.ShiftFromHistory(hist.payloads); err != nil {
			return Result{}, fmt.Errorf("rebuild shift %s: %w", cmd.Previous, err)
		}
		if previous.Project() != m.Principal.Project {
			return Result{}, forbiddenScope()
		}
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	s, err := cc.OpenShift(id, m.Principal.Project, m.Principal.StaffID, cmd.Night, previous, now)
	if err != nil {
		return Result{}, domainError(err, commandCentreCodes)
	}
	rev, err := h.d.appendChanges(ctx, commandcentre.ShiftStream(id), event.NoStream(), m.Principal.Actor(), s.Project(), "", m.CorrelationID, now, s.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

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
