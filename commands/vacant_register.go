package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/vacant"
)

// RegisterVacantUnit puts a unit on the vacant-unit register.
type RegisterVacantUnit struct {
	Unit     string `json:"unit"`
	Owner    string `json:"owner,omitempty"`
	District string `json:"district,omitempty"`
}

type RegisterVacantUnitHandler struct{ d handlerDeps }

func NewRegisterVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) RegisterVacantUnitHandler {
	return RegisterVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h RegisterVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd RegisterVacantUnit) (Result, error) {
	bad := missing("unit", cmd.Unit)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, vacantRegisterRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	u, err := vacant.Register(vacant.Registered{UnitID: id, Project: project, District: district, Unit: cmd.Unit, Owner: cmd.Owner, At: now})
	if err != nil {
		return Result{}, domainError(err, vacantCodes)
	}
	rev, err := h.d.appendChanges(ctx, vacant.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, u.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
