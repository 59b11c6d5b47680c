package commands

import (
	"context"
	"time"

	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// RecordHandoverCheck records a check of a shift's hand-over (R-N3).
type RecordHandoverCheck struct {
	ShiftID string `json:"shift_id"`
	Passed  bool   `json:"passed"`
	Notes   string `json:"notes,omitempty"`
}

type RecordHandoverCheckHandler struct{ d handlerDeps }

func NewRecordHandoverCheckHandler(store EventStore, clock Clock, ids IDGenerator) RecordHandoverCheckHandler {
	return RecordHandoverCheckHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordHandoverCheckHandler) Handle(ctx context.Context, m Meta, cmd RecordHandoverCheck) (Result, error) {
	return updateCommandCentreLog(ctx, h.d, m, func(l *cc.Log, now time.Time) error {
		return l.RecordHandoverCheck(cmd.ShiftID, cmd.Passed, cmd.Notes, now)
	})
}
