package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/fee/plan"
	"github.com/butler-pm/butler/projections"
)

func TestFeeLedgerAndKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.FeeBills, projections.FeePlans, projections.FeeReconciliations, projections.FeeCollections{})
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	due := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	// R-F1: the month's plan, split per butler.
	r.emitAs(plan.Stream("pl1"), "s1", "supervisor", "", at, plan.Set{PlanID: "pl1", Project: "p1", Month: "2026-03", At: at,
		Targets: []plan.Target{{Butler: "b1", District: "d1", TargetFen: 100_000}, {Butler: "b2", District: "d2", TargetFen: 50_000}, {Butler: "b3", District: "d3", TargetFen: 10}}})
	r.emitAs(plan.Stream("pl1"), "s1", "supervisor", "", at, plan.Revised{Reason: "b3 调岗", At: at,
		Targets: []plan.Target{{Butler: "b1", District: "d1", TargetFen: 100_000}, {Butler: "b2", District: "d2", TargetFen: 50_000}}})
	bill := func(id, butler, district string, total int64) {
		r.emitAs(fee.Stream(id), butler, "butler", district, at, fee.Billed{BillID: id, Project: "p1", District: district, Unit: "1-" + id, Butler: butler,
			Period: "2026-03", Items: []fee.Item{{Name: "物业服务费", AmountFen: total}}, TotalFen: total, Due: due, At: at})
	}
	bill("f1", "b1", "d1", 60_000)
	bill("f2", "b1", "d1", 40_000)
	bill("f3", "b2", "d2", 50_000)
	// R-F2/R-F5: receipted payments count for the bill's butler in the month paid.
	r.emitAs(fee.Stream("f1"), "c1", "cashier", "d1", at, fee.PaymentRecorded{AmountFen: 60_000, ReceiptNo: "R-1", Butler: "b1", Period: "2026-03", At: at})
	r.emitAs(fee.Stream("f2"), "b1", "butler", "d1", at, fee.PaymentRecorded{AmountFen: 15_000, ReceiptNo: "R-2", Butler: "b1", Period: "2026-03", OutstandingFen: 25_000, At: at})
	// R-F3: f2 is chased and ages; f3 ages into 31–90.
	late := due.AddDate(0, 0, 2)
	r.emitAs(fee.Stream("f2"), "b1", "butler", "d1", late, fee.ArrearsReminded{Channel: fee.ChannelPhone, Note: "电话提醒业主补缴物业费", At: late})
	r.emitAs(fee.Stream("f2"), "system", "system", "d1", late, fee.ArrearsAged{Bucket: fee.Bucket0To30, DaysOverdue: 2, At: late})
	r.emitAs(fee.Stream("f3"), "system", "system", "d2", late, fee.ArrearsAged{Bucket: fee.Bucket0To30, DaysOverdue: 0, At: due})
	r.emitAs(fee.Stream("f3"), "system", "system", "d2", late, fee.ArrearsAged{Bucket: fee.Bucket31To90, DaysOverdue: 31, At: due.AddDate(0, 0, 31)})

	var f2 projections.FeeBill
	r.doc(projections.FeeBillsIndex, "f2", &f2)
	if f2.Status != "part_paid" || f2.OutstandingFen != 25_000 || !f2.InArrears || f2.ArrearsBucket != "0-30" || len(f2.Reminders) != 1 ||
		f2.NextAgeingAt == nil || !f2.NextAgeingAt.Equal(due.AddDate(0, 0, 31)) {
		t.Fatalf("f2 = %+v", f2)
	}
	// Collection: (60 000 + 15 000) / (100 000 + 50 000); b3's revised-away target no longer counts.
	res := r.kpi("fee-collection-rate", projections.KPIFilter{Month: "2026-03"})
	wantKPI(t, res, 0.5, 75_000, 150_000, "f1", "f2", "pl1")
	wantKPI(t, r.kpi("fee-collection-rate", projections.KPIFilter{Butler: "b1"}), 0.75, 75_000, 100_000)
	wantKPI(t, r.kpi("fee-collection-rate", projections.KPIFilter{District: "d2"}), 0, 0, 50_000, "pl1")
	// Ageing buckets.
	wantKPI(t, r.kpi("fee-arrears-ageing", projections.KPIFilter{}), 2, 2, 2, "f2", "f3")
	wantKPI(t, r.kpi("fee-arrears-0-30", projections.KPIFilter{}), 1, 1, 2)
	wantKPI(t, r.kpi("fee-arrears-31-90", projections.KPIFilter{Month: "2026-03"}), 1, 1, 2)
	wantKPI(t, r.kpi("fee-arrears-over-180", projections.KPIFilter{}), 0, 0, 2)
	// R-F4: a mismatch stays open until explained.
	r.emitAs(ledger.Stream("l1"), "c1", "cashier", "", at, ledger.Reconciled{ReconciliationID: "l1", Project: "p1", Week: "2026-W10", ServiceFen: 75_000, CashierFen: 60_000, At: at})
	r.emitAs(ledger.Stream("l1"), "c1", "cashier", "", at, ledger.MismatchFound{DifferenceFen: 15_000, At: at})
	r.emitAs(ledger.Stream("l2"), "c1", "cashier", "", at, ledger.Reconciled{ReconciliationID: "l2", Project: "p1", Week: "2026-W09", ServiceFen: 1, CashierFen: 2, At: at})
	r.emitAs(ledger.Stream("l2"), "c1", "cashier", "", at, ledger.MismatchFound{DifferenceFen: -1, At: at})
	r.emitAs(ledger.Stream("l2"), "s1", "supervisor", "", at, ledger.MismatchExplained{Explanation: "退款冲账", At: at})
	wantKPI(t, r.kpi("ledger-mismatches-open", projections.KPIFilter{Month: "2026-03"}), 1, 1, 2, "l1", "l2")
}

// R-F4: the cashier ledger's weeks and the weeks that ended unreconciled.
func TestFeeCashierWeeksAndUnreconciledKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.FeeCashierWeeks)
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) // Monday of 2026-W10, China
	r.emitAs(cashbook.Stream("w10"), "c1", "cashier", "", at, cashbook.EntryBooked{Project: "p1", Week: "2026-W10", ReceiptNo: "SK-1", AmountFen: 100, At: at})
	r.emitAs(cashbook.Stream("w10"), "c1", "cashier", "", at, cashbook.EntryBooked{Project: "p1", Week: "2026-W10", ReceiptNo: "SK-2", AmountFen: 250, At: at})
	r.emitAs(cashbook.Stream("w10"), "system", "system", "", at.AddDate(0, 0, 7), cashbook.ReconciliationMissed{Project: "p1", Week: "2026-W10", At: at.AddDate(0, 0, 7)})
	r.emitAs(cashbook.Stream("w11"), "c1", "cashier", "", at.AddDate(0, 0, 7), cashbook.EntryBooked{Project: "p1", Week: "2026-W11", ReceiptNo: "SK-3", AmountFen: 1, At: at.AddDate(0, 0, 7)})
	var w projections.FeeCashierWeek
	r.doc(projections.FeeCashierWeeksIndex, "w10", &w)
	if w.TotalFen != 350 || len(w.Entries) != 2 || !w.Unreconciled || w.Month != "2026-03" {
		t.Fatalf("week = %+v", w)
	}
	wantKPI(t, r.kpi("fee-ledger-weeks-unreconciled", projections.KPIFilter{Month: "2026-03"}), 1, 1, 2, "w10", "w11")
}
