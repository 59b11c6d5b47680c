package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/apperr"
)

// RecordActivitySummaryOverdue is the policy command for R-A4: a held
// activity without its summary three days later gets
// activity.summary_overdue.v1 once. The actor is the system.
type RecordActivitySummaryOverdue struct {
	ActivityID string `json:"activity_id"`
}

type RecordActivitySummaryOverdueHandler struct{ d handlerDeps }

// Handle ignores m.Principal and m.IfMatch; what it records is caused by
// the activity's latest event (recordAsSystem), unless m names a cause.
func (h RecordActivitySummaryOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordActivitySummaryOverdue) (PolicyResult, error) {
	if bad := missing("activity_id", cmd.ActivityID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*activity.Activity]{id: cmd.ActivityID, name: activity.Stream(cmd.ActivityID),
		decode: activity.Decode, rebuild: activity.FromHistory, codes: activityCodes},
		func(a *activity.Activity, now time.Time) (bool, error) { return a.RecordSummaryOverdue(now) })
}

// RecordActivitySummaryOverdue runs the R-A4 rule on one activity; it
// reports whether the overdue summary was recorded now.
func (h *Handlers) RecordActivitySummaryOverdue(ctx context.Context, activityID string) (bool, error) {
	r, err := h.Activity.RecordSummaryOverdue.Handle(ctx, Meta{}, RecordActivitySummaryOverdue{ActivityID: activityID})
	return r.Recorded, err
}
