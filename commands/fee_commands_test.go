package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/fee/plan"
)

var projectCashier = commands.Principal{StaffID: "c9", Role: commands.RoleCashier, Project: "p1"}

func TestFeeFlowAndRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	issue := commands.NewIssueBillHandler(s, c, nil)
	pay := commands.NewRecordFeePaymentHandler(s, c, nil)
	remind := commands.NewRemindArrearsHandler(s, c, nil)
	ageing := commands.NewRecordArrearsAgeingHandler(s, c, nil)

	bill := commands.IssueBill{Unit: "3-2-1201", Period: "2026-07", Due: "2026-07-10", Items: []fee.Item{{Name: "物业服务费", AmountFen: 36250}}}
	_, err := issue.Handle(ctx, as(commands.Principal{StaffID: "x1", Role: commands.RoleCleaner, Project: "p1", District: "d1"}), commands.IssueBill{Unit: "1", Period: "2026-07", Due: "2026-07-10", Butler: "b1", Items: bill.Items})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = issue.Handle(ctx, as(projectCashier), bill)
	wantErr(t, err, apperr.BadRequest, "invalid_input") // butler and district are needed from a cashier
	res, err := issue.Handle(ctx, as(butler), bill)
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	recs := s.streams[fee.Stream(id)]
	if recs[0].Meta.District != "d1" {
		t.Fatalf("district = %q", recs[0].Meta.District)
	}
	// R-F2: refused without a receipt number.
	_, err = pay.Handle(ctx, as(projectCashier), commands.RecordFeePayment{BillID: id, AmountFen: 36250})
	wantErr(t, err, apperr.Unprocessable, "receipt_missing")
	_, err = pay.Handle(ctx, as(butlerD2), commands.RecordFeePayment{BillID: id, AmountFen: 100, ReceiptNo: "R-1"})
	wantErr(t, err, apperr.Forbidden, "forbidden_scope")
	if _, err := pay.Handle(ctx, as(projectCashier), commands.RecordFeePayment{BillID: id, AmountFen: 36000, ReceiptNo: "R-1"}); err != nil {
		t.Fatal(err)
	}
	// R-F3: no reminder before the bill is due; afterwards by a listed channel.
	_, err = remind.Handle(ctx, as(butler), commands.RemindArrears{BillID: id, Channel: "phone", Note: "电话催缴"})
	wantErr(t, err, apperr.Unprocessable, "not_in_arrears")
	c.Advance(40 * 24 * time.Hour)
	_, err = remind.Handle(ctx, as(butler), commands.RemindArrears{BillID: id, Channel: "email", Note: "邮件"})
	wantErr(t, err, apperr.Unprocessable, "unknown_channel")
	if _, err := remind.Handle(ctx, as(butler), commands.RemindArrears{BillID: id, Channel: "visit", Note: "上门催缴，业主承诺周末缴清"}); err != nil {
		t.Fatal(err)
	}
	if r, err := ageing.Handle(ctx, commands.Meta{}, commands.RecordArrearsAgeing{BillID: id}); err != nil || !r.Recorded {
		t.Fatalf("ageing: %+v %v", r, err)
	}
	if r, _ := ageing.Handle(ctx, commands.Meta{}, commands.RecordArrearsAgeing{BillID: id}); r.Recorded {
		t.Fatal("same bucket recorded twice")
	}
	got := types(s.streams[fee.Stream(id)])
	want := []string{fee.TypeBilled, fee.TypePaymentRecorded, fee.TypeArrearsReminded, fee.TypeArrearsAged}
	if len(got) != len(want) || got[3] != want[3] {
		t.Fatalf("events = %v", got)
	}
}

func TestCollectionPlanAndLedgers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	set := commands.NewSetCollectionPlanHandler(s, c, nil)
	revise := commands.NewReviseCollectionPlanHandler(s, c, nil)
	recon := commands.NewReconcileFeeLedgersHandler(s, c, nil)
	explain := commands.NewExplainLedgerMismatchHandler(s, c, nil)

	targets := []plan.Target{{Butler: "b1", District: "d1", TargetFen: 5_000_000}}
	_, err := set.Handle(ctx, as(butler), commands.SetCollectionPlan{Month: "2026-07", Targets: targets})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	res, err := set.Handle(ctx, as(supervisor), commands.SetCollectionPlan{Month: "2026-07", Targets: targets})
	if err != nil || res.ID != commands.FeePlanID("p1", "2026-07") {
		t.Fatalf("set: %+v %v", res, err)
	}
	_, err = set.Handle(ctx, as(supervisor), commands.SetCollectionPlan{Month: "2026-07", Targets: targets})
	wantErr(t, err, apperr.Conflict, "conflict")
	_, err = revise.Handle(ctx, as(manager), commands.ReviseCollectionPlan{PlanID: res.ID, Targets: targets})
	wantErr(t, err, apperr.Unprocessable, "reason_missing")
	if _, err := revise.Handle(ctx, as(manager), commands.ReviseCollectionPlan{PlanID: res.ID, Targets: targets, Reason: "指标调整"}); err != nil {
		t.Fatal(err)
	}

	n := func(v int64) *int64 { return &v }
	_, err = recon.Handle(ctx, as(butler), commands.ReconcileFeeLedgers{Week: "2026-W27", ServiceLedgerFen: n(1), CashierLedgerFen: n(1)})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	r, err := recon.Handle(ctx, as(projectCashier), commands.ReconcileFeeLedgers{Week: "2026-W27", ServiceLedgerFen: n(1_000_000), CashierLedgerFen: n(990_000)})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(s.streams[ledger.Stream(r.ID)]); len(got) != 2 || got[1] != ledger.TypeMismatchFound {
		t.Fatalf("events = %v", got)
	}
	_, err = explain.Handle(ctx, as(projectCashier), commands.ExplainLedgerMismatch{ReconciliationID: r.ID})
	wantErr(t, err, apperr.Unprocessable, "explanation_missing")
	if _, err := explain.Handle(ctx, as(supervisor), commands.ExplainLedgerMismatch{ReconciliationID: r.ID, Explanation: "现金次日入账"}); err != nil {
		t.Fatal(err)
	}
}
