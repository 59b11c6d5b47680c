package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/fee/ledger"
)

// ExplainLedgerMismatch closes an open mismatch with why the ledgers differed.
type ExplainLedgerMismatch struct {
	ReconciliationID string `json:"-"`
	Explanation      string `json:"explanation"`
}

type ExplainLedgerMismatchHandler struct{ d handlerDeps }

func NewExplainLedgerMismatchHandler(store EventStore, clock Clock, ids IDGenerator) ExplainLedgerMismatchHandler {
	return ExplainLedgerMismatchHandler{newHandlerDeps(store, clock, ids)}
}

func (h ExplainLedgerMismatchHandler) Handle(ctx context.Context, m Meta, cmd ExplainLedgerMismatch) (Result, error) {
	if bad := missing("reconciliation_id", cmd.ReconciliationID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.ReconciliationID, ledger.Stream(cmd.ReconciliationID), feeReconcileRoles,
		ledger.Decode, ledger.FromHistory, feeLedgerCodes,
		func(r *ledger.Reconciliation, now time.Time) error { return r.Explain(cmd.Explanation, now) })
}
