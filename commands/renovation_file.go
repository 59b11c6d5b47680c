package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// FileRenovation records an owner's renovation application with the
// documents that came with it (R-R1). A butler files for their district
// and is its butler; a supervisor names the butler and the district.
type FileRenovation struct {
	Unit        string                `json:"unit"`
	Owner       string                `json:"owner"`
	Contractor  string                `json:"contractor"`
	Description string                `json:"description"`
	Documents   []renovation.Document `json:"documents"`
	Butler      string                `json:"butler"`
	District    string                `json:"district"`
}

type FileRenovationHandler struct{ d handlerDeps }

func NewFileRenovationHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) FileRenovationHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return FileRenovationHandler{d}
}

func (h FileRenovationHandler) Handle(ctx context.Context, m Meta, cmd FileRenovation) (Result, error) {
	butler := cmd.Butler
	if m.Principal.Role == RoleButler {
		butler = m.Principal.StaffID
	}
	bad := districtField(m.Principal, cmd.District, missing("unit", cmd.Unit, "owner", cmd.Owner, "contractor", cmd.Contractor,
		"description", cmd.Description, "butler", butler))
	if len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, renovationButlerRoles...); err != nil {
		return Result{}, err
	}
	// The owner is the household's, sealed (R-D3); the filing names the unit.
	return createOwnedRecord(ctx, h.d, m, cmd.District, owner{unit: cmd.Unit, name: cmd.Owner},
		renovation.Stream, renovationCodes, func(r newRecord) (changer, error) {
			return renovation.File(r.ID, renovation.Filing{Project: r.Project, District: r.District, Unit: cmd.Unit,
				Contractor: cmd.Contractor, Butler: butler, Description: cmd.Description, Documents: cmd.Documents}, r.Now)
		})
}
