package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
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
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	k, err := key.Register(id, key.Registration{Project: project, District: district, Unit: cmd.Unit, Tag: cmd.Tag, Custodian: m.Principal.StaffID}, now)
	if err != nil {
		return Result{}, domainError(err, keyCodes)
	}
	rev, err := h.d.appendChanges(ctx, key.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, k.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
