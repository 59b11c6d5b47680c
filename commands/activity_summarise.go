package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// SummariseActivity records the activity's summary (R-A4).
type SummariseActivity struct {
	ActivityID string `json:"-"`
	Summary    string `json:"summary"`
}

type SummariseActivityHandler struct{ d handlerDeps }

func NewSummariseActivityHandler(store EventStore, clock Clock, ids IDGenerator) SummariseActivityHandler {
	return SummariseActivityHandler{newHandlerDeps(store, clock, ids)}
}

func (h SummariseActivityHandler) Handle(ctx context.Context, m Meta, cmd SummariseActivity) (Result, error) {
	return updateActivity(ctx, h.d, m, cmd.ActivityID, activityRoles, func(a *activity.Activity, now time.Time) error {
		return a.Summarise(cmd.Summary, now)
	})
}
