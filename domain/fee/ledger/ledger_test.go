package ledger_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/ledger"
)

var t0 = time.Date(2026, 3, 6, 8, 0, 0, 0, time.UTC)

func TestLedgerReconciliation(t *testing.T) {
	t.Parallel()
	agree, err := ledger.Reconcile("r1", "p1", "2026-W10", 1_000_000, 1_000_000, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(agree.Changes()) != 1 || agree.Open() {
		t.Fatalf("agreeing ledgers: %#v", agree.Changes())
	}
	if err := agree.Explain("x", t0); !errors.Is(err, ledger.ErrNoMismatch) {
		t.Fatalf("err = %v", err)
	}
	// R-F4: a difference is a mismatch event that stays open until explained.
	diff, err := ledger.Reconcile("r2", "p1", "2026-W10", 1_000_000, 990_000, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []event.Payload{
		ledger.Reconciled{ReconciliationID: "r2", Project: "p1", Week: "2026-W10", ServiceFen: 1_000_000, CashierFen: 990_000, At: t0},
		ledger.MismatchFound{DifferenceFen: 10_000, At: t0},
	}
	if !reflect.DeepEqual(diff.Changes(), want) || !diff.Open() {
		t.Fatalf("changes = %#v", diff.Changes())
	}
	rebuilt, err := ledger.FromHistory(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := rebuilt.Explain(" ", t0); !errors.Is(err, ledger.ErrExplanationMissing) {
		t.Fatalf("err = %v", err)
	}
	if err := rebuilt.Explain("一笔现金次日入账", t0); err != nil || rebuilt.Open() {
		t.Fatalf("explain: %v open %v", err, rebuilt.Open())
	}
	if err := rebuilt.Explain("again", t0); !errors.Is(err, ledger.ErrAlreadyExplained) {
		t.Fatalf("err = %v", err)
	}
	for _, w := range []string{"2026-10", "2026-W54", "W10"} {
		if _, err := ledger.Reconcile("r3", "p1", w, 1, 1, "", t0); !errors.Is(err, ledger.ErrReconciliationInvalid) {
			t.Errorf("week %q: err = %v", w, err)
		}
	}
	if _, err := ledger.Reconcile("r3", "p1", "2026-W10", -1, 1, "", t0); !errors.Is(err, ledger.ErrAmountNegative) {
		t.Fatalf("err = %v", err)
	}
}

// R-F4: the totals as recorded; a receipt in one ledger and not the other
// is a mismatch even when the totals agree.
func TestLedgerReconciliationRecorded(t *testing.T) {
	t.Parallel()
	same := ledger.Side{TotalFen: 500, Receipts: []string{"A", "B"}}
	agree, err := ledger.ReconcileRecorded("r1", "p1", "2026-W10", same, same, "", t0)
	if err != nil || len(agree.Changes()) != 1 || agree.Open() {
		t.Fatalf("agreeing ledgers: %#v, %v", agree, err)
	}
	swapped, err := ledger.ReconcileRecorded("r2", "p1", "2026-W10", same, ledger.Side{TotalFen: 500, Receipts: []string{"A", "C"}}, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []event.Payload{
		ledger.ReconciledV2{ReconciliationID: "r2", Project: "p1", Week: "2026-W10", ServiceFen: 500, CashierFen: 500,
			ServiceReceipts: 2, CashierReceipts: 2, OnlyInService: []string{"B"}, OnlyInCashier: []string{"C"}, At: t0},
		ledger.MismatchFound{DifferenceFen: 0, At: t0},
	}
	if !reflect.DeepEqual(swapped.Changes(), want) || !swapped.Open() {
		t.Fatalf("changes = %#v", swapped.Changes())
	}
	short, _ := ledger.ReconcileRecorded("r3", "p1", "2026-W10", same, ledger.Side{TotalFen: 300, Receipts: []string{"A", "B"}}, "", t0)
	if !short.Open() {
		t.Fatal("different totals are a mismatch")
	}
	if r, err := ledger.FromHistory(swapped.Changes()); err != nil || !r.Open() {
		t.Fatalf("rebuilt: %v", err)
	}
}
