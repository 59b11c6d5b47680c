package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// CloseVacantFinding records how a finding was put right (R-V3).
type CloseVacantFinding struct {
	UnitID  string `json:"-"`
	Finding int    `json:"finding"`
	Result  string `json:"result"`
}

type CloseVacantFindingHandler struct{ d handlerDeps }

func NewCloseVacantFindingHandler(store EventStore, clock Clock, ids IDGenerator) CloseVacantFindingHandler {
	return CloseVacantFindingHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseVacantFindingHandler) Handle(ctx context.Context, m Meta, cmd CloseVacantFinding) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantFindingRoles, func(u *vacant.Unit, now time.Time) error {
		return u.CloseFinding(cmd.Finding, cmd.Result, now)
	})
}
