package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

// RecordTalkMissed is the R-S7 time rule's command: an ended week without
// a talk with the subordinate is recorded on their staff record, once.
type RecordTalkMissed struct {
	StaffID string `json:"staff_id"`
	Week    string `json:"week"`
}

type RecordTalkMissedHandler struct{ d handlerDeps }

func NewRecordTalkMissedHandler(store EventStore, clock Clock, ids IDGenerator) RecordTalkMissedHandler {
	return RecordTalkMissedHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordTalkMissedHandler) Handle(ctx context.Context, m Meta, cmd RecordTalkMissed) (PolicyResult, error) {
	if bad := missing("staff_id", cmd.StaffID, "week", cmd.Week); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, staffSystemStream(cmd.StaffID),
		func(s *staff.Staff, now time.Time) (bool, error) { return s.RecordTalkMissed(cmd.Week, now) })
}

// staffSystemStream is a staff record as a time rule loads it.
func staffSystemStream(id string) systemStream[*staff.Staff] {
	return systemStream[*staff.Staff]{id: id, name: staff.Stream(id), decode: staff.Decode, rebuild: staff.FromHistory, codes: staffCodes}
}
