// Package key is the tagged-key aggregate (钥匙管理, R-K1, R-K2, R-K4, R-K5):
// a key registered into the custodian's keeping, lent on the owner's
// signed authorisation, returned, reported lost and the loss approved by
// the project manager with who is accountable. Daily reconciliation and the
// supervisor's weekly check are a separate aggregate (package reconcile).
// Each loan's form is filed into the owner's archive when the key goes out
// and when it comes back (R-K5); the key records each filing.
//
//	in_custody ─lend─▶ on_loan ─return─▶ in_custody
//	in_custody/on_loan ─report loss─▶ loss_reported ─approve─▶ lost
package key

import (
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// Status is where a key is.
type Status string

const (
	StatusNew          Status = ""
	StatusInCustody    Status = "in_custody"
	StatusOnLoan       Status = "on_loan"
	StatusLossReported Status = "loss_reported"
	StatusLost         Status = "lost"
)

// Registration is what is written down when a key goes into custody.
type Registration struct {
	Project, District, Unit, Tag, Custodian string
}

// Loan is a lending of the key (R-K2).
type Loan struct {
	Borrower, Purpose              string
	AuthorisedBy, AuthorisationRef string // the owner who signed, and the form's reference
	Due                            time.Time
}

// Loan-form stages (R-K5): the signed loan form goes into the owner's
// archive when the key goes out, and the return is filed when it is back.
const (
	StageLent     = "lent"
	StageReturned = "returned"
)

// LoanForm is one loan form waiting to be filed into the owner's archive
// (R-K5). Loan numbers the key's loans from 1.
type LoanForm struct {
	KeyID, Project, District, Unit, Tag string
	Loan                                int
	Stage                               string
	Borrower, Purpose                   string
	// Authorisation is the authorising owner's name, sealed under the
	// household's key (nil for a loan recorded before households, whose
	// name stays in its key.lent.v1 only).
	Authorisation    *household.Sealed
	AuthorisationRef string
	LentAt, Due      time.Time
	ReturnedAt       time.Time // zero at the lent stage
}

// loanRecord is what the key remembers of each loan for its forms.
type loanRecord struct {
	lent       Lent
	returnedAt time.Time
	returned   bool
	filed      map[string]bool
}

// Key is the aggregate. Build one with Register or FromHistory.
type Key struct {
	id, project, district string
	unit, tag             string
	status                Status
	due                   time.Time
	overdueRecorded       bool
	loans                 []loanRecord

	changes []event.Payload
}

// Register records a tagged key going into custody (R-K1).
func Register(id string, r Registration, now time.Time) (*Key, error) {
	for _, s := range []string{id, r.Project, r.District, r.Unit, r.Tag, r.Custodian} {
		if blank(s) {
			return nil, ErrRegistrationIncomplete
		}
	}
	k := &Key{}
	k.record(Registered{KeyID: id, Project: r.Project, District: r.District, Unit: r.Unit, Tag: r.Tag, Custodian: r.Custodian, At: now})
	return k, nil
}

// FromHistory rebuilds a key from its stored events, oldest first.
func FromHistory(history []event.Payload) (*Key, error) {
	k := &Key{}
	for _, p := range history {
		if err := k.apply(p); err != nil {
			return nil, err
		}
	}
	if k.status == StatusNew {
		return nil, ErrNotRegistered
	}
	return k, nil
}

// Lend lets the key out on the owner's signed authorisation; a key on loan
// cannot be lent again (R-K2). seal seals the authorising owner's name
// under the household's key (R-D3).
func (k *Key) Lend(l Loan, seal func(name string) (household.Sealed, error), now time.Time) error {
	switch k.status {
	case StatusNew:
		return ErrNotRegistered
	case StatusOnLoan:
		return ErrOnLoan
	case StatusLossReported, StatusLost:
		return ErrLost
	}
	if blank(l.Borrower) {
		return ErrBorrowerMissing
	}
	if blank(l.AuthorisedBy) || blank(l.AuthorisationRef) {
		return ErrAuthorisationMissing
	}
	if !l.Due.After(now) {
		return ErrDueMissing
	}
	sealed, err := seal(l.AuthorisedBy)
	if err != nil {
		return err
	}
	k.record(Lent{Borrower: l.Borrower, Purpose: l.Purpose, Authorisation: &sealed, AuthorisationRef: l.AuthorisationRef, Due: l.Due, At: now})
	return nil
}

// Return closes the loan (R-K2).
func (k *Key) Return(now time.Time) error {
	switch k.status {
	case StatusNew:
		return ErrNotRegistered
	case StatusLossReported, StatusLost:
		return ErrLost
	case StatusOnLoan:
	default:
		return ErrNotOnLoan
	}
	k.record(Returned{At: now})
	return nil
}

// ReportLoss records that the key cannot be found (R-K4).
func (k *Key) ReportLoss(note string, now time.Time) error {
	switch k.status {
	case StatusNew:
		return ErrNotRegistered
	case StatusLossReported, StatusLost:
		return ErrLost
	}
	if blank(note) {
		return ErrLossNoteMissing
	}
	k.record(LossReported{Note: note, At: now})
	return nil
}

// ApproveLoss is the project manager's approval of the loss report, naming
// who is accountable (R-K4).
func (k *Key) ApproveLoss(accountable, note string, now time.Time) error {
	switch k.status {
	case StatusNew:
		return ErrNotRegistered
	case StatusLost:
		return ErrLost
	case StatusLossReported:
	default:
		return ErrLossNotReported
	}
	if blank(accountable) {
		return ErrAccountableMissing
	}
	k.record(LossApproved{Accountable: accountable, Note: note, At: now})
	return nil
}

// RecordLoanOverdue records, once per loan, that a key on loan was not
// back by its due time. It reports whether it recorded the event.
func (k *Key) RecordLoanOverdue(now time.Time) (bool, error) {
	if k.status == StatusNew {
		return false, ErrNotRegistered
	}
	if k.status != StatusOnLoan || k.overdueRecorded || now.Before(k.due) {
		return false, nil
	}
	k.record(LoanOverdue{Due: k.due, At: now})
	return true, nil
}

// PendingLoanForms lists the loan forms not yet filed into the owner's
// archive, oldest first (R-K5).
func (k *Key) PendingLoanForms() []LoanForm {
	var out []LoanForm
	for i, l := range k.loans {
		f := LoanForm{KeyID: k.id, Project: k.project, District: k.district, Unit: k.unit, Tag: k.tag, Loan: i + 1,
			Borrower: l.lent.Borrower, Purpose: l.lent.Purpose, Authorisation: l.lent.Authorisation,
			AuthorisationRef: l.lent.AuthorisationRef, LentAt: l.lent.At, Due: l.lent.Due}
		if !l.filed[StageLent] {
			f.Stage = StageLent
			out = append(out, f)
		}
		if l.returned && !l.filed[StageReturned] {
			f.Stage, f.ReturnedAt = StageReturned, l.returnedAt
			out = append(out, f)
		}
	}
	return out
}

// RecordLoanFormFiled records that a loan form went into the owner's
// archive (R-K5): each loan's form is filed once per stage, and the return
// only after the key came back.
func (k *Key) RecordLoanFormFiled(loan int, stage, archiveID, document string, now time.Time) error {
	if k.status == StatusNew {
		return ErrNotRegistered
	}
	if blank(archiveID) || blank(document) {
		return ErrFilingIncomplete
	}
	if loan < 1 || loan > len(k.loans) {
		return ErrNoLoanForm
	}
	l := k.loans[loan-1]
	switch {
	case stage == StageLent:
	case stage == StageReturned && l.returned:
	default:
		return ErrNoLoanForm
	}
	if l.filed[stage] {
		return ErrLoanFormFiled
	}
	k.record(LoanFormFiled{Loan: loan, Stage: stage, ArchiveID: archiveID, Document: document, At: now})
	return nil
}

// Accessors for command handlers and policies.
func (k *Key) ID() string       { return k.id }
func (k *Key) Project() string  { return k.project }
func (k *Key) District() string { return k.district }
func (k *Key) Status() Status   { return k.status }
func (k *Key) Unit() string     { return k.unit }

// Changes returns the events recorded since the key was built.
func (k *Key) Changes() []event.Payload { return k.changes }

func (k *Key) record(p event.Payload) {
	// apply cannot fail for payloads this package builds itself.
	_ = k.apply(p)
	k.changes = append(k.changes, p)
}

// apply is the one place state changes, for new and replayed events alike.
func (k *Key) apply(p event.Payload) error {
	if _, first := p.(Registered); first != (k.status == StatusNew) {
		return fmt.Errorf("key: %s out of order: %w", p.EventType(), ErrNotRegistered)
	}
	switch e := p.(type) {
	case Registered:
		k.id, k.project, k.district, k.status = e.KeyID, e.Project, e.District, StatusInCustody
		k.unit, k.tag = e.Unit, e.Tag
	case Lent:
		k.status, k.due, k.overdueRecorded = StatusOnLoan, e.Due, false
		k.loans = append(k.loans, loanRecord{lent: e, filed: map[string]bool{}})
	case Returned:
		k.status, k.due = StatusInCustody, time.Time{}
		if n := len(k.loans); n > 0 {
			k.loans[n-1].returned, k.loans[n-1].returnedAt = true, e.At
		}
	case LoanFormFiled:
		if e.Loan < 1 || e.Loan > len(k.loans) {
			return fmt.Errorf("key: loan form of loan %d: %w", e.Loan, ErrNoLoanForm)
		}
		k.loans[e.Loan-1].filed[e.Stage] = true
	case LoanOverdue:
		k.overdueRecorded = true
	case LossReported:
		k.status = StatusLossReported
	case LossApproved:
		k.status = StatusLost
	default:
		return fmt.Errorf("key: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
