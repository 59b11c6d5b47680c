package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

// RecordPatrolWeekMissed is the R-S4 time rule's command: an ended week in
// which a supervisor recorded no patrol (the rule found none in the
// quality read model) is recorded on their staff record, once.
type RecordPatrolWeekMissed struct {
	StaffID string `json:"staff_id"`
	Week    string `json:"week"`
}

type RecordPatrolWeekMissedHandler struct{ d handlerDeps }

func NewRecordPatrolWeekMissedHandler(store EventStore, clock Clock, ids IDGenerator) RecordPatrolWeekMissedHandler {
	return RecordPatrolWeekMissedHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordPatrolWeekMissedHandler) Handle(ctx context.Context, m Meta, cmd RecordPatrolWeekMissed) (PolicyResult, error) {
	if bad := missing("staff_id", cmd.StaffID, "week", cmd.Week); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, staffSystemStream(cmd.StaffID),
		func(s *staff.Staff, now time.Time) (bool, error) { return s.RecordPatrolWeekMissed(cmd.Week, now) })
}
