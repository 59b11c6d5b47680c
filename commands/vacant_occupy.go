package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// OccupyVacantUnit takes the unit off the register; refused while the
// unit's renovation is open (R-R5).
type OccupyVacantUnit struct {
	UnitID string `json:"-"`
}

type OccupyVacantUnitHandler struct {
	d           handlerDeps
	renovations UnitRenovations
}

func NewOccupyVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) OccupyVacantUnitHandler {
	return OccupyVacantUnitHandler{d: newHandlerDeps(store, clock, ids)}
}

func (h OccupyVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd OccupyVacantUnit) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantRegisterRoles, func(u *vacant.Unit, now time.Time) error {
		if err := checkNoOpenRenovation(ctx, h.d, h.renovations, u.Project(), u.Unit()); err != nil {
			return err
		}
		return u.Occupy(now)
	})
}
