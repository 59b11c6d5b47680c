package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/rainyday"
	"github.com/butler-pm/butler/domain/workorder"
)

// ReturnVisitWorkOrder records the owner's rating (1–5) of the repair
// (R-W5). Channel is phone or visit. Kind names the required visit it
// makes (urgent_24h, after_rain or standard); without it the visit makes
// every outstanding visit it can: an urgent repair's 24 h visit always, a
// leak repair's after-rain visit once a rainy day after the repair is
// recorded for the project (refused until then).
type ReturnVisitWorkOrder struct {
	WorkOrderID  string `json:"-"`
	Kind         string `json:"kind,omitempty"`
	Channel      string `json:"channel"`
	Satisfaction int    `json:"satisfaction"`
	Comment      string `json:"comment"`
}

type ReturnVisitWorkOrderHandler struct{ d handlerDeps }

func NewReturnVisitWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) ReturnVisitWorkOrderHandler {
	return ReturnVisitWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReturnVisitWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd ReturnVisitWorkOrder) (Result, error) {
	bad := returnVisitFields(cmd.Channel, cmd.Satisfaction)
	if cmd.Kind != "" && !workorder.VisitKind(cmd.Kind).Valid() {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["kind"] = "must be standard, urgent_24h or after_rain"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderVisitRoles, func(w *workorder.WorkOrder, now time.Time) error {
		var days []workorder.RainyDay
		if w.Leak() {
			// The rainy-day stream is read, not written: a day recorded
			// after this read cannot make the visit wrong, only later.
			var err error
			if days, err = projectRainyDays(ctx, h.d, w.Project(), now.Location()); err != nil {
				return err
			}
		}
		return w.RecordReturnVisit(workorder.VisitKind(cmd.Kind), workorder.Channel(cmd.Channel), cmd.Satisfaction, cmd.Comment, days, now)
	})
}

// projectRainyDays are the project's recorded rainy days as the work
// order's rules take them: midnights in loc, with when each was recorded.
func projectRainyDays(ctx context.Context, d handlerDeps, project string, loc *time.Location) ([]workorder.RainyDay, error) {
	hist, err := d.readHistory(ctx, rainyday.Stream(project), rainyday.Decode)
	if err != nil {
		return nil, err
	}
	cal, err := rainyday.FromHistory(project, hist.payloads)
	if err != nil {
		return nil, fmt.Errorf("rebuild rainy days: %w", err)
	}
	entries := cal.EntriesIn(loc)
	out := make([]workorder.RainyDay, len(entries))
	for i, e := range entries {
		out[i] = workorder.RainyDay{Date: e.Date, RecordedAt: e.RecordedAt}
	}
	return out, nil
}
