package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
)

// SurveyActivity records the satisfaction survey after an activity (R-A3).
type SurveyActivity struct {
	ActivityID string `json:"-"`
	Responses  int    `json:"responses"`
	Satisfied  int    `json:"satisfied"`
}

type SurveyActivityHandler struct{ d handlerDeps }

func NewSurveyActivityHandler(store EventStore, clock Clock, ids IDGenerator) SurveyActivityHandler {
	return SurveyActivityHandler{newHandlerDeps(store, clock, ids)}
}

func (h SurveyActivityHandler) Handle(ctx context.Context, m Meta, cmd SurveyActivity) (Result, error) {
	return updateActivity(ctx, h.d, m, cmd.ActivityID, activityRoles, func(a *activity.Activity, now time.Time) error {
		return a.Survey(cmd.Responses, cmd.Satisfied, now)
	})
}
