package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// SurveyActivityPlan records December's survey of owners for next year's
// plan (R-A1). The result's ID is the plan's stream name.
type SurveyActivityPlan struct {
	Year      int    `json:"year"`
	Responses int    `json:"responses"`
	Findings  string `json:"findings"`
}

type SurveyActivityPlanHandler struct{ d handlerDeps }

func NewSurveyActivityPlanHandler(store EventStore, clock Clock, ids IDGenerator) SurveyActivityPlanHandler {
	return SurveyActivityPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h SurveyActivityPlanHandler) Handle(ctx context.Context, m Meta, cmd SurveyActivityPlan) (Result, error) {
	return updateActivityPlan(ctx, h.d, m, cmd.Year, activityPlanRoles, func(p *activity.Plan, now time.Time) error {
		return p.Survey(cmd.Responses, cmd.Findings, now)
	})
}
