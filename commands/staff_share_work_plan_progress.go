package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/workplan"
)

// ShareWorkPlanProgress records how far a target or goal has got (R-S8:
// 目标进展是否得到分享): the supervisor or project manager on any target,
// a staff member on their own goals. Achieved is the figure so far.
type ShareWorkPlanProgress struct {
	PlanID   string  `json:"-"`
	TargetID string  `json:"target_id"`
	Achieved float64 `json:"achieved"`
	Note     string  `json:"note,omitempty"`
}

type ShareWorkPlanProgressHandler struct{ d handlerDeps }

func NewShareWorkPlanProgressHandler(store EventStore, clock Clock, ids IDGenerator) ShareWorkPlanProgressHandler {
	return ShareWorkPlanProgressHandler{newHandlerDeps(store, clock, ids)}
}

func (h ShareWorkPlanProgressHandler) Handle(ctx context.Context, m Meta, cmd ShareWorkPlanProgress) (Result, error) {
	lead := m.Principal.HasRole(workPlanLeadRoles...)
	return updateWorkPlan(ctx, h.d, m, cmd.PlanID, workPlanProgressRoles, func(p *workplan.Plan, now time.Time) error {
		return p.ShareProgress(cmd.TargetID, cmd.Achieved, cmd.Note, m.Principal.StaffID, lead, now)
	})
}
