package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// DraftActivityPlan drafts the year's activities from the survey (R-A1).
type DraftActivityPlan struct {
	Year       int      `json:"year"`
	Activities []string `json:"activities"`
}

type DraftActivityPlanHandler struct{ d handlerDeps }

func NewDraftActivityPlanHandler(store EventStore, clock Clock, ids IDGenerator) DraftActivityPlanHandler {
	return DraftActivityPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h DraftActivityPlanHandler) Handle(ctx context.Context, m Meta, cmd DraftActivityPlan) (Result, error) {
	return updateActivityPlan(ctx, h.d, m, cmd.Year, activityPlanRoles, func(p *activity.Plan, now time.Time) error {
		return p.Draft(cmd.Activities, now)
	})
}
