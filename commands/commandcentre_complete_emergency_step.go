package commands

import (
	"context"
	"time"

	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// CompleteEmergencyStep records one procedure step done.
type CompleteEmergencyStep struct {
	EmergencyID string `json:"-"`
	Step        string `json:"step"`
	Note        string `json:"note,omitempty"`
}

type CompleteEmergencyStepHandler struct{ d handlerDeps }

func NewCompleteEmergencyStepHandler(store EventStore, clock Clock, ids IDGenerator) CompleteEmergencyStepHandler {
	return CompleteEmergencyStepHandler{newHandlerDeps(store, clock, ids)}
}

func (h CompleteEmergencyStepHandler) Handle(ctx context.Context, m Meta, cmd CompleteEmergencyStep) (Result, error) {
	return updateEmergency(ctx, h.d, m, cmd.EmergencyID, func(e *cc.Emergency, now time.Time) error {
		return e.CompleteStep(cmd.Step, cmd.Note, now)
	})
}
