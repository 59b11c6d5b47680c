package policy_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/projections"
)

var cashier = commands.Principal{StaffID: "c1", Role: commands.RoleCashier, Project: "p1"}

// readsLedger is the server's customer-service ledger: the fee-bills read model.
type readsLedger struct{ r *rig }

func (l readsLedger) PaymentsBetween(ctx context.Context, project string, from, to time.Time) (ledger.Side, error) {
	return projections.ServicePayments(ctx, l.r.reads, project, from, to)
}

// R-F4: the week's ledger totals are the payments recorded on bills and the
// cashier's entries, not figures typed in; a receipt in one and not the
// other is a mismatch.
func TestFeeLedgerTotalsFromRecords(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.h.UseServiceLedger(readsLedger{r})
	bill := r.issuedBill()
	r.ok(r.h.Fee.RecordPayment.Handle(r.ctx, as(butler), commands.RecordFeePayment{BillID: bill, AmountFen: 36250, ReceiptNo: "SK-001", Method: "cash"}))
	r.ok(r.h.Fee.BookCashierEntry.Handle(r.ctx, as(cashier), commands.BookCashierEntry{ReceiptNo: "SK-001", AmountFen: 36250, Method: "cash"}))
	r.sync()
	week := cashbook.WeekOf(r.clock.Now())
	typed := int64(999)
	_, err := r.h.Fee.ReconcileLedgers.Handle(r.ctx, as(cashier), commands.ReconcileFeeLedgers{Week: week, ServiceLedgerFen: &typed})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != "ledger_not_recorded" {
		t.Fatalf("a typed total of 999 fen: err = %v, want ledger_not_recorded", err)
	}
	agree := r.ok(r.h.Fee.ReconcileLedgers.Handle(r.ctx, as(cashier), commands.ReconcileFeeLedgers{Week: week}))
	got := r.stream(ledger.Stream(agree))
	if len(got) != 1 || got[0].Type != ledger.TypeReconciledV2 {
		t.Fatalf("agreeing ledgers recorded %d events", len(got))
	}
	var rec ledger.ReconciledV2
	if err := json.Unmarshal(got[0].Data, &rec); err != nil || rec.ServiceFen != 36250 || rec.CashierFen != 36250 {
		t.Fatalf("reconciled = %+v, %v; want both ledgers at 36250 fen", rec, err)
	}
	// The cashier books a receipt nobody recorded on a bill: a mismatch naming it.
	r.ok(r.h.Fee.BookCashierEntry.Handle(r.ctx, as(cashier), commands.BookCashierEntry{ReceiptNo: "SK-002", AmountFen: 5000}))
	diff := r.ok(r.h.Fee.ReconcileLedgers.Handle(r.ctx, as(cashier), commands.ReconcileFeeLedgers{Week: week}))
	got = r.stream(ledger.Stream(diff))
	if len(got) != 2 || got[1].Type != ledger.TypeMismatchFound {
		t.Fatalf("events = %d, want the reconciliation and its mismatch", len(got))
	}
	if err := json.Unmarshal(got[0].Data, &rec); err != nil || rec.CashierFen != 41250 || len(rec.OnlyInCashier) != 1 || rec.OnlyInCashier[0] != "SK-002" {
		t.Fatalf("reconciled = %+v", rec)
	}
}

// R-F4 weekly: a week that ended with no reconciliation is recorded once;
// a reconciled week is not.
func TestFeeLedgerWeeksUnreconciled(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.h.UseServiceLedger(readsLedger{r})
	const rule = "R-F4 fee ledger weeks unreconciled"
	r.issuedBill() // Wednesday 1 July 2026: week 27
	first := cashbook.WeekOf(r.clock.Now())
	r.tick(rule, 0) // week 27 has not ended, week 26 was before the first bill
	r.clock.Advance(7 * day)
	r.recordsOnce(rule, cashbook.Stream(commands.CashbookWeekID("p1", first)), cashbook.TypeReconciliationMissed, "")
	// Week 28 is reconciled before it ends: nothing to record for it.
	r.ok(r.h.Fee.ReconcileLedgers.Handle(r.ctx, as(cashier), commands.ReconcileFeeLedgers{Week: cashbook.WeekOf(r.clock.Now())}))
	r.clock.Advance(7 * day)
	r.tick(rule, 0)
}
