package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// ApproveActivityPlan is operations' approval of the year's plan (R-A1).
type ApproveActivityPlan struct {
	Year int `json:"year"`
}

type ApproveActivityPlanHandler struct{ d handlerDeps }

func NewApproveActivityPlanHandler(store EventStore, clock Clock, ids IDGenerator) ApproveActivityPlanHandler {
	return ApproveActivityPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h ApproveActivityPlanHandler) Handle(ctx context.Context, m Meta, cmd ApproveActivityPlan) (Result, error) {
	return updateActivityPlan(ctx, h.d, m, cmd.Year, activityPlanApproveRoles, func(p *activity.Plan, now time.Time) error {
		return p.Approve(m.Principal.StaffID, m.Principal.Role, now)
	})
}
