package commands

import (
	"context"
	"time"

	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// RecordDrill records a monthly emergency drill (R-N2). The result's ID
// is the project.
type RecordDrill struct {
	Type         string `json:"type"`
	Participants int    `json:"participants"`
}

type RecordDrillHandler struct{ d handlerDeps }

func NewRecordDrillHandler(store EventStore, clock Clock, ids IDGenerator) RecordDrillHandler {
	return RecordDrillHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordDrillHandler) Handle(ctx context.Context, m Meta, cmd RecordDrill) (Result, error) {
	return updateCommandCentreLog(ctx, h.d, m, func(l *cc.Log, now time.Time) error {
		return l.RecordDrill(cmd.Type, cmd.Participants, now)
	})
}
