package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// RecordHandInOverdue is the R-S9 time rule's command: a found item still
// with its finder 24 hours after it was registered is recorded overdue,
// once.
type RecordHandInOverdue struct {
	ItemID string `json:"item_id"`
}

type RecordHandInOverdueHandler struct{ d handlerDeps }

func NewRecordHandInOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordHandInOverdueHandler {
	return RecordHandInOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordHandInOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordHandInOverdue) (PolicyResult, error) {
	if bad := missing("item_id", cmd.ItemID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*lostproperty.Item]{id: cmd.ItemID, name: lostproperty.Stream(cmd.ItemID),
		decode: lostproperty.Decode, rebuild: lostproperty.FromHistory, codes: foundPropertyCodes},
		func(it *lostproperty.Item, now time.Time) (bool, error) { return it.RecordHandInOverdue(now) })
}
