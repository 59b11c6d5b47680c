package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/fee/plan"
)

// Who may run which fee command (R-F1…R-F5). Butlers bill and collect in
// their district (入户收费) and chase arrears; the cashier takes payments at
// the service centre and keeps the cashier ledger, so the weekly ledger
// reconciliation is the cashier's (or the supervisor's); the supervisor
// makes the month's plan and splits it per butler.
//
//	command                    butler supervisor cashier project_manager
//	bill issue                   x        x         x
//	payment record               x        x         x
//	arrears reminder             x        x
//	collection plan set/revise            x                   x
//	ledger reconcile/explain              x         x
//	cashier-ledger entry                            x
//	policy (arrears ageing): system actor
var (
	feeBillRoles      = []string{RoleButler, RoleSupervisor, RoleCashier}
	feePaymentRoles   = []string{RoleButler, RoleSupervisor, RoleCashier}
	feeReminderRoles  = []string{RoleButler, RoleSupervisor}
	feePlanRoles      = []string{RoleSupervisor, RoleProjectManager}
	feeReconcileRoles = []string{RoleCashier, RoleSupervisor}
	feeCashbookRoles  = []string{RoleCashier}
)

// feePlanNamespace makes a plan's id from its project and month: one plan
// per project and month, found again by every command.
var feePlanNamespace = uuid.MustParse("0b5d8e8a-3c1f-4c56-8f0e-2a9e7d41c3b2")

// FeePlanID is the id of a project's collection plan for month (YYYY-MM).
func FeePlanID(project, month string) string {
	return uuid.NewSHA1(feePlanNamespace, []byte(project+"\x00"+month)).String()
}

var feeCodes = map[error]string{
	fee.ErrNotIssued:        "not_issued",
	fee.ErrBillIncomplete:   "bill_incomplete",
	fee.ErrPeriodInvalid:    "period_invalid",
	fee.ErrNoItems:          "no_items",
	fee.ErrAmountInvalid:    "amount_invalid",
	fee.ErrItemNameMissing:  "item_name_missing",
	fee.ErrDueMissing:       "due_missing",
	fee.ErrReceiptMissing:   "receipt_missing",
	fee.ErrOverpaid:         "overpaid",
	fee.ErrPaid:             "bill_paid",
	fee.ErrReceiptReused:    "receipt_reused",
	fee.ErrUnknownChannel:   "unknown_channel",
	fee.ErrNotInArrears:     "not_in_arrears",
	fee.ErrReminderNoteMiss: "note_missing",
	fee.ErrFlagReasonMiss:   "reason_missing",
	fee.ErrAlreadyFlagged:   "already_flagged",
	fee.ErrNotFlagged:       "not_flagged_influential",
	fee.ErrGuidanceNoteMiss: "guidance_note_missing",
}

var feePlanCodes = map[error]string{
	plan.ErrNotSet:           "not_set",
	plan.ErrPlanIncomplete:   "plan_incomplete",
	plan.ErrNoTargets:        "no_targets",
	plan.ErrTargetInvalid:    "target_invalid",
	plan.ErrButlerTwice:      "butler_twice",
	plan.ErrRevisionNoReason: "reason_missing",
}

var feeLedgerCodes = map[error]string{
	ledger.ErrNotReconciled:         "not_reconciled",
	ledger.ErrReconciliationInvalid: "reconciliation_invalid",
	ledger.ErrAmountNegative:        "amount_negative",
	ledger.ErrNoMismatch:            "no_mismatch",
	ledger.ErrAlreadyExplained:      "already_explained",
	ledger.ErrExplanationMissing:    "explanation_missing",
}

func updateBill(ctx context.Context, d handlerDeps, m Meta, id string, roles []string, act func(b *fee.Bill, now time.Time) error) (Result, error) {
	if bad := missing("bill_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, fee.Stream(id), roles, fee.Decode, fee.FromHistory, feeCodes, act)
}

// RecordArrearsAgeing is the policy command: an unpaid bill past due gets
// fee.arrears_aged.v1 each time it enters a new ageing bucket (0–30, 31–90,
// 91–180, over 180 days). The actor is the system.
type RecordArrearsAgeing struct {
	BillID string `json:"bill_id"`
}

type RecordArrearsAgeingHandler struct{ d handlerDeps }

func NewRecordArrearsAgeingHandler(store EventStore, clock Clock, ids IDGenerator) RecordArrearsAgeingHandler {
	return RecordArrearsAgeingHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordArrearsAgeingHandler) Handle(ctx context.Context, m Meta, cmd RecordArrearsAgeing) (PolicyResult, error) {
	if bad := missing("bill_id", cmd.BillID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*fee.Bill]{id: cmd.BillID, name: fee.Stream(cmd.BillID),
		decode: fee.Decode, rebuild: fee.FromHistory, codes: feeCodes},
		func(b *fee.Bill, now time.Time) (bool, error) { return b.RecordAgeing(now) })
}

// RecordArrearsAgeing runs the ageing policy on one bill; it reports
// whether a new bucket was recorded now.
func (h *Handlers) RecordArrearsAgeing(ctx context.Context, billID string) (bool, error) {
	r, err := h.Fee.RecordArrearsAgeing.Handle(ctx, Meta{}, RecordArrearsAgeing{BillID: billID})
	return r.Recorded, err
}

// FeeHandlers are the fee module's command handlers.
type FeeHandlers struct {
	IssueBill              IssueBillHandler
	RecordPayment          RecordFeePaymentHandler
	RemindArrears          RemindArrearsHandler
	SetCollectionPlan      SetCollectionPlanHandler
	ReviseCollectionPlan   ReviseCollectionPlanHandler
	ReconcileLedgers       ReconcileFeeLedgersHandler
	ExplainLedgerMismatch  ExplainLedgerMismatchHandler
	RecordArrearsAgeing    RecordArrearsAgeingHandler
	BookCashierEntry       BookCashierEntryHandler
	RecordWeekUnreconciled RecordFeeWeekUnreconciledHandler
	// R-F6: the collection practice.
	HoldDebrief      HoldCollectionDebriefHandler
	RaiseFastRoute   RaiseFastRouteHandler
	ResolveFastRoute ResolveFastRouteHandler
	FlagInfluential  FlagInfluentialOwnerHandler
	RecordGuidance   RecordArrearsGuidanceHandler
}

func newFeeHandlers(d handlerDeps) FeeHandlers {
	return FeeHandlers{
		IssueBill:              IssueBillHandler{d},
		RecordPayment:          RecordFeePaymentHandler{d},
		RemindArrears:          RemindArrearsHandler{d},
		SetCollectionPlan:      SetCollectionPlanHandler{d},
		ReviseCollectionPlan:   ReviseCollectionPlanHandler{d},
		ReconcileLedgers:       ReconcileFeeLedgersHandler{d: d},
		ExplainLedgerMismatch:  NewExplainLedgerMismatchHandler(d.store, d.clock, d.ids),
		RecordArrearsAgeing:    RecordArrearsAgeingHandler{d},
		BookCashierEntry:       BookCashierEntryHandler{d},
		RecordWeekUnreconciled: RecordFeeWeekUnreconciledHandler{d},
		HoldDebrief:            HoldCollectionDebriefHandler{d},
		RaiseFastRoute:         RaiseFastRouteHandler{d},
		ResolveFastRoute:       ResolveFastRouteHandler{d},
		FlagInfluential:        FlagInfluentialOwnerHandler{d},
		RecordGuidance:         RecordArrearsGuidanceHandler{d},
	}
}
