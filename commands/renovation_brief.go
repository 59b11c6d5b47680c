package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/domain/renovation"
)

// BriefRenovationRules records that owner and contractor were briefed on the rules and forbidden acts (R-R2).
type BriefRenovationRules struct {
	RenovationID string `json:"-"`
	Owner        string `json:"owner"`
	Contractor   string `json:"contractor"`
}

type BriefRenovationRulesHandler struct{ d handlerDeps }

func NewBriefRenovationRulesHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) BriefRenovationRulesHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return BriefRenovationRulesHandler{d}
}

func (h BriefRenovationRulesHandler) Handle(ctx context.Context, m Meta, cmd BriefRenovationRules) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.BriefRules(cmd.Owner, cmd.Contractor, func(name string) (household.Sealed, error) {
			return h.d.sealFor(ctx, r.Project(), r.Unit(), name)
		}, now)
	})
}
