package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// ServiceVacantUnit records a monthly inspection, ventilation or cleaning (R-V1).
type ServiceVacantUnit struct {
	UnitID  string `json:"-"`
	Service string `json:"service"`
	Notes   string `json:"notes,omitempty"`
}

type ServiceVacantUnitHandler struct{ d handlerDeps }

func NewServiceVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) ServiceVacantUnitHandler {
	return ServiceVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h ServiceVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd ServiceVacantUnit) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantServiceRoles, func(u *vacant.Unit, now time.Time) error {
		return u.Service(cmd.Service, cmd.Notes, now)
	})
}
