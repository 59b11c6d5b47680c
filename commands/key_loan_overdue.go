package commands

import (
	"context"
	"fmt"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
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
	stream := key.Stream(cmd.KeyID)
	hist, err := h.d.readHistory(ctx, stream, key.Decode)
	if err != nil {
		return PolicyResult{}, err
	}
	if !hist.exists {
		return PolicyResult{}, apperr.Errorf(apperr.NotFound, "not_found", "%s does not exist", stream)
	}
	k, err := key.FromHistory(hist.payloads)
	if err != nil {
		return PolicyResult{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	now := h.d.clock.Now()
	ok, err := k.RecordLoanOverdue(now)
	if err != nil {
		return PolicyResult{}, domainError(err, keyCodes)
	}
	if !ok {
		return PolicyResult{Result: Result{ID: cmd.KeyID, Revision: hist.revision}}, nil
	}
	rev, err := h.d.appendChanges(ctx, stream, event.Exact(hist.revision), event.System, k.Project(), k.District(), m.CorrelationID, now, k.Changes())
	if err != nil {
		return PolicyResult{}, err
	}
	return PolicyResult{Result: Result{ID: cmd.KeyID, Revision: rev}, Recorded: true}, nil
}
