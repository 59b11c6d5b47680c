package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/vacant"
)

// RegisterVacantUnit puts a unit on the vacant-unit register.
type RegisterVacantUnit struct {
	Unit     string `json:"unit"`
	Owner    string `json:"owner,omitempty"`
	District string `json:"district,omitempty"`
}

type RegisterVacantUnitHandler struct{ d handlerDeps }

func NewRegisterVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) RegisterVacantUnitHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return RegisterVacantUnitHandler{d}
}

func (h RegisterVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd RegisterVacantUnit) (Result, error) {
	bad := missing("unit", cmd.Unit)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, vacantRegisterRoles...); err != nil {
		return Result{}, err
	}
	// A named owner is the household's, sealed (R-D3).
	return createOwnedRecord(ctx, h.d, m, cmd.District, owner{unit: cmd.Unit, name: cmd.Owner},
		vacant.Stream, vacantCodes, func(r newRecord) (changer, error) {
			return vacant.Register(vacant.Registered{UnitID: r.ID, Project: r.Project, District: r.District, Unit: cmd.Unit, At: r.Now})
		})
}
