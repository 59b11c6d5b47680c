package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/projections"
)

func TestKeyLedgerAndKPIs(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Keys, projections.KeyDays)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00 in China
	reg := func(id, tag string) {
		r.emitAs(key.Stream(id), "c1", "custodian", "d1", at, key.Registered{KeyID: id, Project: "p1", District: "d1", Unit: "3-2-1201", Tag: tag, Custodian: "c1", At: at})
	}
	reg("k1", "K-001")
	reg("k2", "K-002")
	reg("k3", "K-003")
	due := at.Add(8 * time.Hour)
	r.emitAs(key.Stream("k1"), "c1", "custodian", "d1", at, key.Lent{Borrower: "李师傅", AuthorisedBy: "王女士", AuthorisationRef: "SQ-17", Due: due, At: at})
	r.emitAs(key.Stream("k1"), "system", "system", "d1", due, key.LoanOverdue{Due: due, At: due})
	r.emitAs(key.Stream("k2"), "c1", "custodian", "d1", at, key.Lent{Borrower: "保洁", AuthorisedBy: "赵先生", AuthorisationRef: "SQ-18", Due: due, At: at})
	r.emitAs(key.Stream("k2"), "c1", "custodian", "d1", at.Add(time.Hour), key.Returned{At: at.Add(time.Hour)})
	r.emitAs(key.Stream("k3"), "b1", "butler", "d1", at, key.LossReported{Note: "钥匙柜找不到", At: at})
	r.emitAs(key.Stream("k3"), "m1", "project_manager", "d1", at, key.LossApproved{Accountable: "c1", At: at})

	// R-K3: the register a reconciliation's ledger is taken from: 3 keys
	// registered, k3 lost, k1 on loan, k2 back in the cabinet.
	if reg, err := projections.CountKeys(t.Context(), r.store, "p1"); err != nil || reg != (reconcile.Register{Registered: 3, Lost: 1, OnLoan: 1}) {
		t.Fatalf("register = %+v, %v; want 3 registered, 1 lost, 1 on loan", reg, err)
	}
	var k1 projections.Key
	r.doc(projections.KeysIndex, "k1", &k1)
	if !k1.OnLoan || !k1.LoanOverdue || len(k1.Loans) != 1 || !k1.Loans[0].Overdue {
		t.Fatalf("k1 = %+v", k1)
	}
	var k2 projections.Key
	r.doc(projections.KeysIndex, "k2", &k2)
	if k2.OnLoan || k2.Status != "in_custody" || k2.Loans[0].ReturnedAt == nil {
		t.Fatalf("k2 = %+v", k2)
	}
	// R-K2: a key on loan past due; R-K4: lost keys.
	wantKPI(t, r.kpi("keys-on-loan-past-due", projections.KPIFilter{}), 1, 1, 1, "k1")
	wantKPI(t, r.kpi("keys-lost", projections.KPIFilter{Month: "2026-03"}), 1, 1, 1, "k3")
	if res := r.kpi("keys-lost", projections.KPIFilter{}); len(res.NumeratorRecords) != 1 || res.NumeratorRecords[0] != "k3" {
		t.Fatalf("lost records = %v", res.NumeratorRecords)
	}

	// R-K3: two days reconciled (one with a discrepancy), one missed; a
	// day with only the supervisor's check does not count yet.
	r.emitAs(reconcile.Stream("a"), "c1", "custodian", "", at, reconcile.Reconciled{Project: "p1", Day: "2026-03-02", Ledger: 3, Counted: 3, At: at})
	r.emitAs(reconcile.Stream("b"), "c1", "custodian", "", at, reconcile.Reconciled{Project: "p1", Day: "2026-03-03", Ledger: 3, Counted: 2, MissingTags: []string{"K-003"}, At: at})
	r.emitAs(reconcile.Stream("b"), "c1", "custodian", "", at, reconcile.DiscrepancyFound{Project: "p1", Day: "2026-03-03", Difference: 1, MissingTags: []string{"K-003"}, At: at})
	r.emitAs(reconcile.Stream("c"), "system", "system", "", at, reconcile.ReconciliationMissed{Project: "p1", Day: "2026-03-04", At: at})
	r.emitAs(reconcile.Stream("d"), "s1", "supervisor", "", at, reconcile.SupervisorChecked{Project: "p1", Day: "2026-03-05", Matches: true, At: at})
	r.emitAs(reconcile.Stream("e"), "system", "system", "", at, reconcile.ReconciliationMissed{Project: "p1", Day: "2026-04-01", At: at})

	res := r.kpi("key-reconciliation-compliance", projections.KPIFilter{Month: "2026-03"})
	wantKPI(t, res, 2.0/3, 2, 3, "a", "b", "c")
	wantKPI(t, r.kpi("key-reconciliation-discrepancies", projections.KPIFilter{Month: "2026-03"}), 1, 1, 4)
	var b projections.KeyDay
	r.doc(projections.KeyDaysIndex, "b", &b)
	if !b.Discrepancy || b.Ledger != 3 || b.Counted != 2 || b.MissingTags[0] != "K-003" || b.Custodian != "c1" {
		t.Fatalf("day b = %+v", b)
	}
}
