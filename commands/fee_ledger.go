package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/ledger"
)

// ReconcileFeeLedgers compares the week's customer-service ledger total
// with the cashier ledger total, in fen (R-F4). A difference is recorded
// as a mismatch that stays open until explained.
type ReconcileFeeLedgers struct {
	Week             string `json:"week"`
	ServiceLedgerFen *int64 `json:"service_ledger_fen"`
	CashierLedgerFen *int64 `json:"cashier_ledger_fen"`
	Note             string `json:"note"`
}

type ReconcileFeeLedgersHandler struct{ d handlerDeps }

func NewReconcileFeeLedgersHandler(store EventStore, clock Clock, ids IDGenerator) ReconcileFeeLedgersHandler {
	return ReconcileFeeLedgersHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReconcileFeeLedgersHandler) Handle(ctx context.Context, m Meta, cmd ReconcileFeeLedgers) (Result, error) {
	bad := missing("week", cmd.Week)
	for field, v := range map[string]*int64{"service_ledger_fen": cmd.ServiceLedgerFen, "cashier_ledger_fen": cmd.CashierLedgerFen} {
		if v == nil {
			if bad == nil {
				bad = map[string]string{}
			}
			bad[field] = "required, in fen"
		}
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, feeReconcileRoles...); err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	r, err := ledger.Reconcile(id, m.Principal.Project, cmd.Week, *cmd.ServiceLedgerFen, *cmd.CashierLedgerFen, cmd.Note, now)
	if err != nil {
		return Result{}, domainError(err, feeLedgerCodes)
	}
	rev, err := h.d.appendChanges(ctx, ledger.Stream(id), event.NoStream(), m.Principal.Actor(), r.Project(), r.District(), m.chain(), now, r.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
