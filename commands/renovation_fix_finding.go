package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// FixRenovationFinding records that acceptance finding number Finding (0-based) was fixed (R-R5).
type FixRenovationFinding struct {
	RenovationID string `json:"-"`
	Finding      int    `json:"finding"`
	Note         string `json:"note"`
}

type FixRenovationFindingHandler struct{ d handlerDeps }

func NewFixRenovationFindingHandler(store EventStore, clock Clock, ids IDGenerator) FixRenovationFindingHandler {
	return FixRenovationFindingHandler{newHandlerDeps(store, clock, ids)}
}

func (h FixRenovationFindingHandler) Handle(ctx context.Context, m Meta, cmd FixRenovationFinding) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationEngineerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.FixFinding(cmd.Finding, cmd.Note, now)
	})
}
