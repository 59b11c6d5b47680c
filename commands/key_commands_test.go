package commands_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/key/reconcile"
)

var custodian = commands.Principal{StaffID: "k1", Role: commands.RoleCustodian, Project: "p1"}

type keyHandlers struct {
	store    *memStore
	clock    *clock
	register commands.RegisterKeyHandler
	lend     commands.LendKeyHandler
	ret      commands.ReturnKeyHandler
	report   commands.ReportKeyLossHandler
	approve  commands.ApproveKeyLossHandler
	recon    commands.ReconcileKeysHandler
	check    commands.CheckKeyRegisterHandler
	overdue  commands.RecordKeyLoanOverdueHandler
	missed   commands.RecordKeyReconciliationMissedHandler
}

func newKeyHandlers() *keyHandlers {
	s, c := newMemStore(), &clock{now: start}
	return &keyHandlers{store: s, clock: c,
		register: commands.NewRegisterKeyHandler(s, c, nil),
		lend:     commands.NewLendKeyHandler(s, c, nil, testKeys()),
		ret:      commands.NewReturnKeyHandler(s, c, nil),
		report:   commands.NewReportKeyLossHandler(s, c, nil),
		approve:  commands.NewApproveKeyLossHandler(s, c, nil),
		recon:    commands.NewReconcileKeysHandler(s, c, nil),
		check:    commands.NewCheckKeyRegisterHandler(s, c, nil),
		overdue:  commands.NewRecordKeyLoanOverdueHandler(s, c, nil),
		missed:   commands.NewRecordKeyReconciliationMissedHandler(s, c, nil),
	}
}

var goodLoan = commands.LendKey{Borrower: "李师傅", AuthorisedBy: "王女士", AuthorisationRef: "SQ-17", Due: "2026-07-01T18:00:00+08:00"}

func TestKeyFlowAndRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newKeyHandlers()
	// R-K1: only the custodian registers, and names the district.
	_, err := h.register.Handle(ctx, as(butler), commands.RegisterKey{Unit: "3-2-1201", Tag: "K-001"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = h.register.Handle(ctx, as(custodian), commands.RegisterKey{Unit: "3-2-1201", Tag: "K-001"})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	res, err := h.register.Handle(ctx, as(custodian), commands.RegisterKey{Unit: "3-2-1201", Tag: "K-001", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	// Only the custodian lends (R-K2).
	l := goodLoan
	l.KeyID = id
	_, err = h.lend.Handle(ctx, as(butler), l)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	noSig := l
	noSig.AuthorisedBy = ""
	_, err = h.lend.Handle(ctx, as(custodian), noSig)
	wantErr(t, err, apperr.Unprocessable, "owner_authorisation_missing")
	if _, err := h.lend.Handle(ctx, as(custodian), l); err != nil {
		t.Fatal(err)
	}
	// R-K2: a key on loan cannot be lent again.
	_, err = h.lend.Handle(ctx, as(custodian), l)
	wantErr(t, err, apperr.Unprocessable, "key_on_loan")
	// Overdue policy: nothing before the due time, once after it.
	if r, err := h.overdue.Handle(ctx, commands.Meta{}, commands.RecordKeyLoanOverdue{KeyID: id}); err != nil || r.Recorded {
		t.Fatalf("early overdue: %v %v", r, err)
	}
	h.clock.Advance(10 * time.Hour)
	if r, err := h.overdue.Handle(ctx, commands.Meta{}, commands.RecordKeyLoanOverdue{KeyID: id}); err != nil || !r.Recorded {
		t.Fatalf("overdue: %v %v", r, err)
	}
	if _, err := h.ret.Handle(ctx, as(custodian), commands.ReturnKey{KeyID: id}); err != nil {
		t.Fatal(err)
	}
	// R-K4: the loss is approved by the project manager, naming who is accountable.
	if _, err := h.report.Handle(ctx, as(butler), commands.ReportKeyLoss{KeyID: id, Note: "钥匙柜中找不到"}); err != nil {
		t.Fatal(err)
	}
	_, err = h.approve.Handle(ctx, as(supervisor), commands.ApproveKeyLoss{KeyID: id, Accountable: "k1"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	if _, err := h.approve.Handle(ctx, as(manager), commands.ApproveKeyLoss{KeyID: id, Accountable: "k1"}); err != nil {
		t.Fatal(err)
	}
	want := []string{key.TypeRegistered, key.TypeLentV2, key.TypeLoanOverdue, key.TypeReturned, key.TypeLossReported, key.TypeLossApproved}
	got := types(h.store.streams[key.Stream(id)])
	if len(got) != len(want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events = %v, want %v", got, want)
		}
	}
	// A butler of another district may not report on this key.
	_, err = h.report.Handle(ctx, as(butlerD2), commands.ReportKeyLoss{KeyID: id, Note: "x"})
	wantErr(t, err, apperr.Forbidden, "forbidden_scope")
}

func TestKeyReconciliationDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newKeyHandlers()
	n := func(v int) *int { return &v }
	_, err := h.recon.Handle(ctx, as(supervisor), commands.ReconcileKeys{Ledger: n(3), Counted: n(3)})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = h.recon.Handle(ctx, as(custodian), commands.ReconcileKeys{Ledger: n(3)})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	res, err := h.recon.Handle(ctx, as(custodian), commands.ReconcileKeys{Ledger: n(3), Counted: n(2), MissingTags: []string{"K-002"}})
	if err != nil {
		t.Fatal(err)
	}
	day := reconcile.DayOf(start)
	if res.ID != commands.KeyDayID("p1", day) {
		t.Fatalf("id = %s", res.ID)
	}
	got := types(h.store.streams[reconcile.Stream(res.ID)])
	if len(got) != 2 || got[1] != reconcile.TypeDiscrepancyFound {
		t.Fatalf("events = %v", got)
	}
	yes := true
	if _, err := h.check.Handle(ctx, as(supervisor), commands.CheckKeyRegister{Matches: &yes}); err != nil {
		t.Fatal(err)
	}
	// A reconciled day is never missed; the next, unreconciled day is, once, after it ends.
	h.clock.Advance(48 * time.Hour)
	if r, _ := h.missed.Handle(ctx, commands.Meta{}, commands.RecordKeyReconciliationMissed{Project: "p1", Day: day}); r.Recorded {
		t.Fatal("a reconciled day was recorded as missed")
	}
	next := reconcile.DayOf(start.Add(24 * time.Hour))
	if r, err := h.missed.Handle(ctx, commands.Meta{}, commands.RecordKeyReconciliationMissed{Project: "p1", Day: next}); err != nil || !r.Recorded {
		t.Fatalf("missed: %+v %v", r, err)
	}
	if r, _ := h.missed.Handle(ctx, commands.Meta{}, commands.RecordKeyReconciliationMissed{Project: "p1", Day: next}); r.Recorded {
		t.Fatal("missed recorded twice")
	}
	today := reconcile.DayOf(start.Add(48 * time.Hour))
	if r, _ := h.missed.Handle(ctx, commands.Meta{}, commands.RecordKeyReconciliationMissed{Project: "p1", Day: today}); r.Recorded {
		t.Fatal("today has not ended")
	}
}

// fixedRegister is a key register that always counts the same.
type fixedRegister reconcile.Register

func (r fixedRegister) CountKeys(context.Context, string) (reconcile.Register, error) {
	return reconcile.Register(r), nil
}

// R-K3: with a key register the ledger is the register's count, not the
// caller's: one key registered and a ledger of 999 typed in is refused;
// left out, the ledger recorded is the register's.
func TestKeyReconciliationLedgerFromRegister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newKeyHandlers()
	recon := h.recon.WithRegister(fixedRegister{Registered: 3, Lost: 1, OnLoan: 1})
	n := func(v int) *int { return &v }
	_, err := recon.Handle(ctx, as(custodian), commands.ReconcileKeys{Ledger: n(999), Counted: n(1)})
	wantErr(t, err, apperr.Unprocessable, "ledger_not_register")
	res, err := recon.Handle(ctx, as(custodian), commands.ReconcileKeys{Counted: n(1)})
	if err != nil {
		t.Fatal(err)
	}
	recs := h.store.streams[reconcile.Stream(res.ID)]
	if len(recs) != 1 || recs[0].Type != reconcile.TypeReconciledV2 {
		t.Fatalf("events = %v, want one key.reconciled.v2 (1 counted = 3 registered − 1 lost − 1 on loan)", types(recs))
	}
	var got reconcile.ReconciledV2
	if err := json.Unmarshal(recs[0].Data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Ledger != 1 || got.Register != (reconcile.Register{Registered: 3, Lost: 1, OnLoan: 1}) {
		t.Fatalf("reconciled = %+v, want the register's ledger 1", got)
	}
	// The ledger given and equal to the register's is accepted.
	if _, err := recon.Handle(ctx, as(custodian), commands.ReconcileKeys{Ledger: n(1), Counted: n(1)}); err != nil {
		t.Fatal(err)
	}
}
