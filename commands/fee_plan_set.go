package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/plan"
)

// SetCollectionPlan makes the project's collection plan for a month,
// split per butler (R-F1). There is one plan per month: a second one is a
// conflict (revise the first instead).
type SetCollectionPlan struct {
	Month   string        `json:"month"`
	Targets []plan.Target `json:"targets"`
}

type SetCollectionPlanHandler struct{ d handlerDeps }

func NewSetCollectionPlanHandler(store EventStore, clock Clock, ids IDGenerator) SetCollectionPlanHandler {
	return SetCollectionPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h SetCollectionPlanHandler) Handle(ctx context.Context, m Meta, cmd SetCollectionPlan) (Result, error) {
	if bad := missing("month", cmd.Month); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, feePlanRoles...); err != nil {
		return Result{}, err
	}
	id := FeePlanID(m.Principal.Project, cmd.Month)
	now := h.d.clock.Now()
	p, err := plan.New(id, m.Principal.Project, cmd.Month, cmd.Targets, now)
	if err != nil {
		return Result{}, domainError(err, feePlanCodes)
	}
	rev, err := h.d.appendChanges(ctx, plan.Stream(id), event.NoStream(), m.Principal.Actor(), p.Project(), p.District(), m.chain(), now, p.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
