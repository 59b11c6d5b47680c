package commands

import (
	"context"
	"time"

	cc "github.com/butler-pm/butler/domain/commandcentre"
)

// CloseEmergency ends an emergency once every step is done.
type CloseEmergency struct {
	EmergencyID string `json:"-"`
	Summary     string `json:"summary"`
}

type CloseEmergencyHandler struct{ d handlerDeps }

func NewCloseEmergencyHandler(store EventStore, clock Clock, ids IDGenerator) CloseEmergencyHandler {
	return CloseEmergencyHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseEmergencyHandler) Handle(ctx context.Context, m Meta, cmd CloseEmergency) (Result, error) {
	return updateEmergency(ctx, h.d, m, cmd.EmergencyID, func(e *cc.Emergency, now time.Time) error {
		return e.Close(cmd.Summary, now)
	})
}
