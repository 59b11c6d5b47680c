package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// ApproveActivity is one department's approval of a proposed activity
// (operations or quality, R-A2).
type ApproveActivity struct {
	ActivityID string `json:"-"`
}

type ApproveActivityHandler struct{ d handlerDeps }

func NewApproveActivityHandler(store EventStore, clock Clock, ids IDGenerator) ApproveActivityHandler {
	return ApproveActivityHandler{newHandlerDeps(store, clock, ids)}
}

func (h ApproveActivityHandler) Handle(ctx context.Context, m Meta, cmd ApproveActivity) (Result, error) {
	return updateActivity(ctx, h.d, m, cmd.ActivityID, activityApproveRoles, func(a *activity.Activity, now time.Time) error {
		return a.Approve(m.Principal.Role, m.Principal.StaffID, now)
	})
}
