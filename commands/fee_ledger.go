package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/domain/fee/ledger"
)

// ServiceLedger is the customer-service fee ledger (R-F4): the payments
// recorded on bills between from and to, with their receipts. The
// server's is the fee-bills read model (cmd/butler/app), so a payment
// recorded in the second before a reconciliation may be missing from it:
// the receipt then shows in only_in_cashier, and the mismatch is explained.
type ServiceLedger interface {
	PaymentsBetween(ctx context.Context, project string, from, to time.Time) (ledger.Side, error)
}

// ReconcileFeeLedgers compares the week's customer-service ledger total
// with the cashier ledger total, in fen (R-F4). A difference is recorded
// as a mismatch that stays open until explained. With a service ledger
// (the server) both totals are taken from what was recorded, not typed
// in: the payments recorded on bills in the week, and the cashier's
// entries booked in the week (BookCashierEntry); totals sent must equal
// them (ledger_not_recorded). Without one (the demo generator) both
// totals are required.
type ReconcileFeeLedgers struct {
	Week             string `json:"week"`
	ServiceLedgerFen *int64 `json:"service_ledger_fen"`
	CashierLedgerFen *int64 `json:"cashier_ledger_fen"`
	Note             string `json:"note"`
}

type ReconcileFeeLedgersHandler struct {
	d       handlerDeps
	service ServiceLedger
}

func NewReconcileFeeLedgersHandler(store EventStore, clock Clock, ids IDGenerator) ReconcileFeeLedgersHandler {
	return ReconcileFeeLedgersHandler{d: newHandlerDeps(store, clock, ids)}
}

// WithServiceLedger takes the totals from what was recorded (R-F4).
func (h ReconcileFeeLedgersHandler) WithServiceLedger(s ServiceLedger) ReconcileFeeLedgersHandler {
	h.service = s
	return h
}

// UseServiceLedger makes the weekly ledger reconciliation take its totals
// from the recorded payments (s) and the cashier ledger (R-F4).
func (h *Handlers) UseServiceLedger(s ServiceLedger) {
	h.Fee.ReconcileLedgers = h.Fee.ReconcileLedgers.WithServiceLedger(s)
}

func (h ReconcileFeeLedgersHandler) Handle(ctx context.Context, m Meta, cmd ReconcileFeeLedgers) (Result, error) {
	if h.service != nil {
		return h.reconcileRecorded(ctx, m, cmd)
	}
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

// reconcileRecorded is R-F4 with both totals from the records.
func (h ReconcileFeeLedgersHandler) reconcileRecorded(ctx context.Context, m Meta, cmd ReconcileFeeLedgers) (Result, error) {
	if bad := missing("week", cmd.Week); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, feeReconcileRoles...); err != nil {
		return Result{}, err
	}
	from, ok := cashbook.WeekStart(cmd.Week)
	if !ok {
		return Result{}, domainError(ledger.ErrReconciliationInvalid, feeLedgerCodes)
	}
	project := m.Principal.Project
	book, _, err := loadCashbookWeek(ctx, h.d, project, cmd.Week)
	if err != nil {
		return Result{}, err
	}
	cashier := ledger.Side{TotalFen: book.TotalFen(), Receipts: book.Receipts()}
	service, err := h.service.PaymentsBetween(ctx, project, from, from.AddDate(0, 0, 7))
	if err != nil {
		return Result{}, fmt.Errorf("reading the customer-service ledger: %w", err)
	}
	for _, c := range []struct {
		name      string
		sent      *int64
		recorded  int64
		whereFrom string
	}{
		{"service_ledger_fen", cmd.ServiceLedgerFen, service.TotalFen, "the payments recorded on bills"},
		{"cashier_ledger_fen", cmd.CashierLedgerFen, cashier.TotalFen, "the cashier ledger's entries"},
	} {
		if c.sent != nil && *c.sent != c.recorded {
			return Result{}, apperr.Errorf(apperr.Unprocessable, "ledger_not_recorded",
				"%s is taken from %s in %s: %d fen, not %d", c.name, c.whereFrom, cmd.Week, c.recorded, *c.sent)
		}
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	r, err := ledger.ReconcileRecorded(id, project, cmd.Week, service, cashier, cmd.Note, now)
	if err != nil {
		return Result{}, domainError(err, feeLedgerCodes)
	}
	rev, err := h.d.appendChanges(ctx, ledger.Stream(id), event.NoStream(), m.Principal.Actor(), r.Project(), r.District(), m.chain(), now, r.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
