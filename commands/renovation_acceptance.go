package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// InspectRenovationForAcceptance records engineering's completion inspection and its findings (竣工验收, R-R5).
type InspectRenovationForAcceptance struct {
	RenovationID string   `json:"-"`
	Findings     []string `json:"findings"`
}

type InspectRenovationForAcceptanceHandler struct{ d handlerDeps }

func NewInspectRenovationForAcceptanceHandler(store EventStore, clock Clock, ids IDGenerator) InspectRenovationForAcceptanceHandler {
	return InspectRenovationForAcceptanceHandler{newHandlerDeps(store, clock, ids)}
}

func (h InspectRenovationForAcceptanceHandler) Handle(ctx context.Context, m Meta, cmd InspectRenovationForAcceptance) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationEngineerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.InspectForAcceptance(cmd.Findings, now)
	})
}
