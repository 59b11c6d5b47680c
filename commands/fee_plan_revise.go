package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/fee/plan"
)

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
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.PlanID, plan.Stream(cmd.PlanID), feePlanRoles, plan.Decode, plan.FromHistory, feePlanCodes,
		func(p *plan.Plan, now time.Time) error { return p.Revise(cmd.Targets, cmd.Reason, now) })
}
