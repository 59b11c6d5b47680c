package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/workplan"
)

// SetWorkPlanGoal records a subordinate's own goal for the month, set
// with them (R-S8: 是否帮助下属制定目标): Owner took part in the plan's
// discussion.
type SetWorkPlanGoal struct {
	PlanID string `json:"-"`
	workplan.Target
}

type SetWorkPlanGoalHandler struct{ d handlerDeps }

func NewSetWorkPlanGoalHandler(store EventStore, clock Clock, ids IDGenerator) SetWorkPlanGoalHandler {
	return SetWorkPlanGoalHandler{newHandlerDeps(store, clock, ids)}
}

func (h SetWorkPlanGoalHandler) Handle(ctx context.Context, m Meta, cmd SetWorkPlanGoal) (Result, error) {
	return updateWorkPlan(ctx, h.d, m, cmd.PlanID, workPlanLeadRoles, func(p *workplan.Plan, now time.Time) error {
		return p.SetGoal(cmd.Target, now)
	})
}
