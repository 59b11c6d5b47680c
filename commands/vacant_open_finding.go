package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// OpenVacantFinding records an abnormal finding in a vacant unit (R-V3).
type OpenVacantFinding struct {
	UnitID      string `json:"-"`
	Description string `json:"description"`
}

type OpenVacantFindingHandler struct{ d handlerDeps }

func NewOpenVacantFindingHandler(store EventStore, clock Clock, ids IDGenerator) OpenVacantFindingHandler {
	return OpenVacantFindingHandler{newHandlerDeps(store, clock, ids)}
}

func (h OpenVacantFindingHandler) Handle(ctx context.Context, m Meta, cmd OpenVacantFinding) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantFindingRoles, func(u *vacant.Unit, now time.Time) error {
		return u.OpenFinding(cmd.Description, now)
	})
}
