package projections_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/projections"
)

// R-K5: a loan's form is pending until the key records its filing, at
// lending and again at return; the archive's catalogue lists the form with
// the loan's details.
func TestKeyLoanFormsFiled(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Keys, projections.Archives)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	due := at.Add(8 * time.Hour)
	for _, id := range []string{"k1", "k2"} {
		r.emitAs(key.Stream(id), "c1", "custodian", "d1", at, key.Registered{KeyID: id, Project: "p1", District: "d1", Unit: "3-2-1201", Tag: "K-" + id, Custodian: "c1", At: at})
		r.emitAs(key.Stream(id), "c1", "custodian", "d1", at, key.Lent{Borrower: "李师傅", AuthorisedBy: "王女士", AuthorisationRef: "SQ-17", Due: due, At: at})
	}
	wantKPI(t, r.kpi("key-loan-forms-unfiled", projections.KPIFilter{}), 2, 2, 2, "k1", "k2")

	r.emitAs(archive.Stream("a1"), "ar1", "archivist", "d1", at, archive.Opened{ArchiveID: "a1", Project: "p1", District: "d1", Household: "3-2-1201", At: at})
	filedAt := at.Add(time.Minute)
	r.emitAs(archive.Stream("a1"), "system", "system", "d1", filedAt, archive.KeyLoanFormFiled{Document: "钥匙借用单 K-k1（k1）#1", KeyID: "k1", Tag: "K-k1", Loan: 1,
		Stage: "lent", Borrower: "李师傅", AuthorisedBy: "王女士", AuthorisationRef: "SQ-17", LentAt: at, Due: due, At: filedAt})
	r.emitAs(key.Stream("k1"), "system", "system", "d1", filedAt, key.LoanFormFiled{Loan: 1, Stage: key.StageLent, ArchiveID: "a1", Document: "钥匙借用单 K-k1（k1）#1", At: filedAt})

	var k1 projections.Key
	r.doc(projections.KeysIndex, "k1", &k1)
	if k1.LoanFormsUnfiled || k1.LoanFormsPending != 0 || !k1.Loans[0].FormFiled || k1.Loans[0].FormArchiveID != "a1" {
		t.Fatalf("k1 after filing = %+v", k1)
	}
	wantKPI(t, r.kpi("key-loan-forms-unfiled", projections.KPIFilter{}), 1, 1, 2, "k1", "k2")
	var a projections.Archive
	r.doc(projections.ArchivesIndex, "a1", &a)
	if len(a.Catalogue) != 1 {
		t.Fatalf("catalogue = %+v", a.Catalogue)
	}
	if e := a.Catalogue[0]; e.Kind != archive.KeyLoanFormKind || e.KeyID != "k1" || e.AuthorisationRef != "SQ-17" ||
		e.Borrower != "李师傅" || e.LentAt == nil || !e.LentAt.Equal(at) || e.Due == nil || !e.Due.Equal(due) {
		t.Fatalf("catalogue entry = %+v", e)
	}

	// The return makes the loan pending again until its filing.
	r.emitAs(key.Stream("k1"), "c1", "custodian", "d1", at.Add(time.Hour), key.Returned{At: at.Add(time.Hour)})
	r.doc(projections.KeysIndex, "k1", &k1)
	if !k1.LoanFormsUnfiled || k1.LoanFormsPending != 1 {
		t.Fatalf("k1 after return = %+v", k1)
	}
	r.emitAs(key.Stream("k1"), "system", "system", "d1", filedAt, key.LoanFormFiled{Loan: 1, Stage: key.StageReturned, ArchiveID: "a1", Document: "x", At: filedAt})
	r.doc(projections.KeysIndex, "k1", &k1)
	if k1.LoanFormsUnfiled || !k1.Loans[0].ReturnFiled {
		t.Fatalf("k1 after return filed = %+v", k1)
	}
}

// R-K3: the supervisor's weekly check is measured per week of the month
// (weeks belong to the month of their Monday), traceable to the check days.
func TestKeySupervisorWeeklyChecks(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.KeyDays)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	check := func(id, day string) {
		r.emitAs(reconcile.Stream(id), "s1", "supervisor", "", at, reconcile.SupervisorChecked{Project: "p1", Day: day, Matches: true, At: at})
	}
	// March 2026 has five Mondays: 2, 9, 16, 23, 30.
	check("sun", "2026-03-01") // Sunday: the week of Monday 23 February
	check("tue", "2026-03-03")
	check("thu", "2026-03-05") // same week as Tuesday's
	check("mid", "2026-03-17")
	check("apr", "2026-04-02") // the week of Monday 30 March
	r.emitAs(reconcile.Stream("rec"), "c1", "custodian", "", at, reconcile.Reconciled{Project: "p1", Day: "2026-03-10", Ledger: 1, Counted: 1, At: at})

	wantKPI(t, r.kpi("key-supervisor-weekly-checks", projections.KPIFilter{Month: "2026-03"}), 3.0/5, 3, 5, "apr", "mid", "thu", "tue")
	wantKPI(t, r.kpi("key-supervisor-weekly-checks", projections.KPIFilter{Month: "2026-02"}), 1.0/4, 1, 4, "sun")
	if res := r.kpi("key-supervisor-weekly-checks", projections.KPIFilter{Month: "2026-05"}); res.Value == nil || *res.Value != 0 || res.Denominator != 4 {
		t.Fatalf("May without checks = %+v", res)
	}
}
