package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// OccupyVacantUnit takes the unit off the register.
type OccupyVacantUnit struct {
	UnitID string `json:"-"`
}

type OccupyVacantUnitHandler struct{ d handlerDeps }

func NewOccupyVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) OccupyVacantUnitHandler {
	return OccupyVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h OccupyVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd OccupyVacantUnit) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantRegisterRoles, func(u *vacant.Unit, now time.Time) error {
		return u.Occupy(now)
	})
}
