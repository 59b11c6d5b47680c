package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key"
)

// RegisterKey puts a tagged key into custody (R-K1). District is the
// unit's district (the custodian acts for the whole project).
type RegisterKey struct {
	Unit     string `json:"unit"`
	Tag      string `json:"tag"`
	District string `json:"district"`
}

type RegisterKeyHandler struct{ d handlerDeps }

func NewRegisterKeyHandler(store EventStore, clock Clock, ids IDGenerator) RegisterKeyHandler {
	return RegisterKeyHandler{newHandlerDeps(store, clock, ids)}
}

func (h RegisterKeyHandler) Handle(ctx context.Context, m Meta, cmd RegisterKey) (Result, error) {
	bad := districtField(m.Principal, cmd.District, missing("unit", cmd.Unit, "tag", cmd.Tag))
	if len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, keyCustodianRoles...); err != nil {
		return Result{}, err
	}
	return createRecord(ctx, h.d, m, cmd.District, key.Stream, keyCodes, func(r newRecord) (changer, error) {
		return key.Register(r.ID, key.Registration{Project: r.Project, District: r.District, Unit: cmd.Unit, Tag: cmd.Tag, Custodian: m.Principal.StaffID}, r.Now)
	})
}
