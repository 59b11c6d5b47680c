package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// RecordMissedInspections is the R-R3 policy command: every ended day of
// work without an inspection gets renovation.inspection_missed.v1 once.
type RecordMissedInspections struct {
	RenovationID string `json:"renovation_id"`
}

type RecordMissedInspectionsHandler struct{ d handlerDeps }

func NewRecordMissedInspectionsHandler(store EventStore, clock Clock, ids IDGenerator) RecordMissedInspectionsHandler {
	return RecordMissedInspectionsHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordMissedInspectionsHandler) Handle(ctx context.Context, m Meta, cmd RecordMissedInspections) (PolicyResult, error) {
	if bad := missing("renovation_id", cmd.RenovationID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*renovation.Renovation]{id: cmd.RenovationID,
		name: renovation.Stream(cmd.RenovationID), decode: renovation.Decode, rebuild: renovation.FromHistory, codes: renovationCodes},
		func(r *renovation.Renovation, now time.Time) (bool, error) {
			n, err := r.RecordMissedInspections(now)
			return n > 0, err
		})
}
