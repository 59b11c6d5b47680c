package commands

import (
	"context"
	"time"

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
		return Result{}, Invalid(bad)
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
	rev, err := h.d.appendChanges(ctx, FeePlanStream(id), event.NoStream(), m.Principal.Actor(), p.Project(), p.District(), m.CorrelationID, now, p.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// ReviseCollectionPlan replaces a month's targets, saying why.
type ReviseCollectionPlan struct {
	PlanID  string        `json:"-"`
	Targets []plan.Target `json:"targets"`
	Reason  string        `json:"reason"`
}

type ReviseCollectionPlanHandler struct{ d handlerDeps }

func NewReviseCollectionPlanHandler(store EventStore, clock Clock, ids IDGenerator) ReviseCollectionPlanHandler {
	return ReviseCollectionPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReviseCollectionPlanHandler) Handle(ctx context.Context, m Meta, cmd ReviseCollectionPlan) (Result, error) {
	if bad := missing("plan_id", cmd.PlanID); bad != nil {
		return Result{}, Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.PlanID, FeePlanStream(cmd.PlanID), feePlanRoles, plan.Decode, plan.FromHistory, feePlanCodes,
		func(p *plan.Plan, now time.Time) error { return p.Revise(cmd.Targets, cmd.Reason, now) })
}
