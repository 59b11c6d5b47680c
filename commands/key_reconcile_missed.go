package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key/reconcile"
)

// RecordKeyReconciliationMissed is the policy command of R-K3: a project's
// day that ended without the custodian's reconciliation gets
// key.reconciliation_missed.v1 once. The actor is the system.
type RecordKeyReconciliationMissed struct {
	Project string `json:"project"`
	Day     string `json:"day"`
}

type RecordKeyReconciliationMissedHandler struct{ d handlerDeps }

func NewRecordKeyReconciliationMissedHandler(store EventStore, clock Clock, ids IDGenerator) RecordKeyReconciliationMissedHandler {
	return RecordKeyReconciliationMissedHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordKeyReconciliationMissedHandler) Handle(ctx context.Context, m Meta, cmd RecordKeyReconciliationMissed) (PolicyResult, error) {
	if bad := missing("project", cmd.Project, "day", cmd.Day); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	id := KeyDayID(cmd.Project, cmd.Day)
	return recordAsSystem(ctx, h.d, m, systemStream[*reconcile.Day]{id: id, name: reconcile.Stream(id),
		decode: reconcile.Decode, rebuild: reconcile.FromHistory, codes: keyDayCodes,
		open: func(time.Time) (*reconcile.Day, eventRef, bool, error) {
			return opened(reconcile.Open(cmd.Project, cmd.Day))
		}},
		func(kd *reconcile.Day, now time.Time) (bool, error) { return kd.RecordMissed(now) })
}
