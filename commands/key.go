package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key"
)

// Who may run which key command (R-K1…R-K4). Only the designated custodian
// registers, lends, takes back and reconciles keys; the supervisor makes the
// weekly check; the project manager approves a loss report. Anyone who
// finds a key missing may report it.
//
//	command                custodian butler supervisor project_manager
//	key register               x
//	key lend                   x
//	key return                 x
//	key report loss            x        x        x           x
//	key approve loss                                         x
//	key reconcile (daily)      x
//	key supervisor check                         x
//	policies (overdue loan, missed reconciliation): system actor
var (
	keyCustodianRoles   = []string{RoleCustodian}
	keyReportLossRoles  = []string{RoleCustodian, RoleButler, RoleSupervisor, RoleProjectManager}
	keyApproveLossRoles = []string{RoleProjectManager}
	keySupervisorRoles  = []string{RoleSupervisor}
)

// keyCodes are the stable error codes of refused key rules.
var keyCodes = map[error]string{
	key.ErrNotRegistered:          "not_registered",
	key.ErrRegistrationIncomplete: "registration_incomplete",
	key.ErrOnLoan:                 "key_on_loan",
	key.ErrNotOnLoan:              "key_not_on_loan",
	key.ErrBorrowerMissing:        "borrower_missing",
	key.ErrAuthorisationMissing:   "owner_authorisation_missing",
	key.ErrDueMissing:             "due_missing",
	key.ErrLost:                   "key_lost",
	key.ErrLossNotReported:        "loss_not_reported",
	key.ErrLossNoteMissing:        "loss_note_missing",
	key.ErrAccountableMissing:     "accountable_missing",
	key.ErrNoLoanForm:             "no_loan_form",
	key.ErrLoanFormFiled:          "loan_form_filed",
	key.ErrFilingIncomplete:       "filing_incomplete",
}

func updateKey(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(k *key.Key, now time.Time) error) (Result, error) {
	if bad := missing("key_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, key.Stream(id), roles, key.Decode, key.FromHistory, keyCodes, act)
}

// keyStream is a key's stream for the system path.
func keyStream(id string) systemStream[*key.Key] {
	return systemStream[*key.Key]{id: id, name: key.Stream(id), decode: key.Decode, rebuild: key.FromHistory, codes: keyCodes}
}

// RecordKeyLoanOverdue runs the overdue-loan policy on one key; it reports
// whether the overdue loan was recorded now.
func (h *Handlers) RecordKeyLoanOverdue(ctx context.Context, keyID string) (bool, error) {
	r, err := h.Key.RecordLoanOverdue.Handle(ctx, Meta{}, RecordKeyLoanOverdue{KeyID: keyID})
	return r.Recorded, err
}

// RecordKeyReconciliationMissed runs the R-K3 policy on one project's day;
// it reports whether the missed reconciliation was recorded now.
func (h *Handlers) RecordKeyReconciliationMissed(ctx context.Context, project, day string) (bool, error) {
	r, err := h.Key.RecordReconciliationMissed.Handle(ctx, Meta{}, RecordKeyReconciliationMissed{Project: project, Day: day})
	return r.Recorded, err
}

// FileKeyLoanForms runs the R-K5 filing policy on one key: its pending
// loan forms go into the given archive; it reports whether any was filed.
func (h *Handlers) FileKeyLoanForms(ctx context.Context, keyID, archiveID string) (bool, error) {
	r, err := h.Key.FileLoanForm.Handle(ctx, Meta{}, FileKeyLoanForm{KeyID: keyID, ArchiveID: archiveID})
	return r.Recorded, err
}

// KeyHandlers are the key module's command handlers.
type KeyHandlers struct {
	Register                   RegisterKeyHandler
	Lend                       LendKeyHandler
	Return                     ReturnKeyHandler
	ReportLoss                 ReportKeyLossHandler
	ApproveLoss                ApproveKeyLossHandler
	Reconcile                  ReconcileKeysHandler
	CheckRegister              CheckKeyRegisterHandler
	RecordLoanOverdue          RecordKeyLoanOverdueHandler
	RecordReconciliationMissed RecordKeyReconciliationMissedHandler
	FileLoanForm               FileKeyLoanFormHandler
}

func newKeyHandlers(d handlerDeps) KeyHandlers {
	return KeyHandlers{
		Register:                   RegisterKeyHandler{d},
		Lend:                       LendKeyHandler{d},
		Return:                     ReturnKeyHandler{d},
		ReportLoss:                 ReportKeyLossHandler{d},
		ApproveLoss:                ApproveKeyLossHandler{d},
		Reconcile:                  ReconcileKeysHandler{d: d},
		CheckRegister:              CheckKeyRegisterHandler{d},
		RecordLoanOverdue:          RecordKeyLoanOverdueHandler{d},
		RecordReconciliationMissed: NewRecordKeyReconciliationMissedHandler(d.store, d.clock, d.ids),
		FileLoanForm:               FileKeyLoanFormHandler{d},
	}
}

// UseKeyRegister makes the keys' daily reconciliation take its ledger from
// the key register r (R-K3) instead of the caller.
func (h *Handlers) UseKeyRegister(r KeyRegister) {
	h.Key.Reconcile = h.Key.Reconcile.WithRegister(r)
}
