package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/workplan"
)

// DiscussWorkPlan records the plan's discussion with the staff (R-S8:
// 计划是否和部门人员进行研讨).
type DiscussWorkPlan struct {
	PlanID    string   `json:"-"`
	Attendees []string `json:"attendees"`
	Notes     string   `json:"notes"`
}

type DiscussWorkPlanHandler struct{ d handlerDeps }

func NewDiscussWorkPlanHandler(store EventStore, clock Clock, ids IDGenerator) DiscussWorkPlanHandler {
	return DiscussWorkPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h DiscussWorkPlanHandler) Handle(ctx context.Context, m Meta, cmd DiscussWorkPlan) (Result, error) {
	return updateWorkPlan(ctx, h.d, m, cmd.PlanID, workPlanLeadRoles, func(p *workplan.Plan, now time.Time) error {
		return p.Discuss(cmd.Attendees, cmd.Notes, now)
	})
}
