package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

// RecordAppraisalOverdue is the R-F5 time rule's command: a butler's
// month not appraised by the 30th is recorded on their staff record, once.
type RecordAppraisalOverdue struct {
	StaffID string `json:"staff_id"`
	Month   string `json:"month"`
}

type RecordAppraisalOverdueHandler struct{ d handlerDeps }

func NewRecordAppraisalOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordAppraisalOverdueHandler {
	return RecordAppraisalOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordAppraisalOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordAppraisalOverdue) (PolicyResult, error) {
	if bad := missing("staff_id", cmd.StaffID, "month", cmd.Month); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, staffSystemStream(cmd.StaffID),
		func(s *staff.Staff, now time.Time) (bool, error) { return s.RecordAppraisalOverdue(cmd.Month, now) })
}
