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
// (R-W5). Channel is phone or visit. A leak repair's visit is refused
// until a rainy day after the completion date is recorded for the project.
type ReturnVisitWorkOrder struct {
	WorkOrderID  string `json:"-"`
	Channel      string `json:"channel"`
	Satisfaction int    `json:"satisfaction"`
	Comment      string `json:"comment"`
}

type ReturnVisitWorkOrderHandler struct{ d handlerDeps }

func NewReturnVisitWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) ReturnVisitWorkOrderHandler {
	return ReturnVisitWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReturnVisitWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd ReturnVisitWorkOrder) (Result, error) {
	if bad := returnVisitFields(cmd.Channel, cmd.Satisfaction); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderVisitRoles, func(w *workorder.WorkOrder, now time.Time) error {
		var days []time.Time
		if w.Leak() {
			// The rainy-day stream is read, not written: a day recorded
			// after this read cannot make the visit wrong, only later.
			hist, err := h.d.readHistory(ctx, rainyday.Stream(w.Project()), rainyday.Decode)
			if err != nil {
				return err
			}
			cal, err := rainyday.FromHistory(w.Project(), hist.payloads)
			if err != nil {
				return fmt.Errorf("rebuild rainy days: %w", err)
			}
			days = cal.DaysIn(now.Location())
		}
		return w.RecordReturnVisit(workorder.Channel(cmd.Channel), cmd.Satisfaction, cmd.Comment, days, now)
	})
}
