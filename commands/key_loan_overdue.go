package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key"
)

// RecordKeyLoanOverdue is the policy command: a key on loan past its due
// time gets key.loan_overdue.v1 once per loan. The actor is the system.
type RecordKeyLoanOverdue struct {
	KeyID string `json:"key_id"`
}

type RecordKeyLoanOverdueHandler struct{ d handlerDeps }

func NewRecordKeyLoanOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordKeyLoanOverdueHandler {
	return RecordKeyLoanOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordKeyLoanOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordKeyLoanOverdue) (PolicyResult, error) {
	if bad := missing("key_id", cmd.KeyID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, keyStream(cmd.KeyID),
		func(k *key.Key, now time.Time) (bool, error) { return k.RecordLoanOverdue(now) })
}
