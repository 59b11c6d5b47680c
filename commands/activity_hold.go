package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// HoldActivity records that the activity took place, with how many came.
type HoldActivity struct {
	ActivityID   string `json:"-"`
	Participants int    `json:"participants"`
}

type HoldActivityHandler struct{ d handlerDeps }

func NewHoldActivityHandler(store EventStore, clock Clock, ids IDGenerator) HoldActivityHandler {
	return HoldActivityHandler{newHandlerDeps(store, clock, ids)}
}

func (h HoldActivityHandler) Handle(ctx context.Context, m Meta, cmd HoldActivity) (Result, error) {
	return updateActivity(ctx, h.d, m, cmd.ActivityID, activityRoles, func(a *activity.Activity, now time.Time) error {
		return a.Hold(cmd.Participants, now)
	})
}
