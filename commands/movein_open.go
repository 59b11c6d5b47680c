package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/movein"
)

// OpenMoveIn starts an owner's move-in for a unit. A butler opens it for
// their district; a supervisor names the butler and the district.
type OpenMoveIn struct {
	Unit     string `json:"unit"`
	Owner    string `json:"owner"`
	Butler   string `json:"butler"`
	District string `json:"district"`
}

type OpenMoveInHandler struct{ d handlerDeps }

func NewOpenMoveInHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) OpenMoveInHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return OpenMoveInHandler{d}
}

func (h OpenMoveInHandler) Handle(ctx context.Context, m Meta, cmd OpenMoveIn) (Result, error) {
	butler := cmd.Butler
	if m.Principal.Role == RoleButler {
		butler = m.Principal.StaffID
	}
	if bad := districtField(m.Principal, cmd.District, missing("unit", cmd.Unit, "owner", cmd.Owner, "butler", butler)); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, moveInRoles...); err != nil {
		return Result{}, err
	}
	// The owner is the household's, sealed (R-D3); the move-in names the unit.
	return createOwnedRecord(ctx, h.d, m, cmd.District, owner{unit: cmd.Unit, name: cmd.Owner},
		movein.Stream, moveInCodes, func(r newRecord) (changer, error) {
			return movein.Open(r.ID, movein.Spec{Project: r.Project, District: r.District, Unit: cmd.Unit, Butler: butler}, r.Now)
		})
}
