package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff/training"
)

// ApproveTrainingPlan is the approval by a supervisor or quality.
type ApproveTrainingPlan struct {
	PlanID string `json:"-"`
}

type ApproveTrainingPlanHandler struct{ d handlerDeps }

func NewApproveTrainingPlanHandler(store EventStore, clock Clock, ids IDGenerator) ApproveTrainingPlanHandler {
	return ApproveTrainingPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h ApproveTrainingPlanHandler) Handle(ctx context.Context, m Meta, cmd ApproveTrainingPlan) (Result, error) {
	return updateTrainingPlan(ctx, h.d, m, cmd.PlanID, trainingPlanApproveRoles, func(p *training.Plan, now time.Time) error {
		return p.Approve(m.Principal.StaffID, m.Principal.Role, now)
	})
}
