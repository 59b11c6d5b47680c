package key

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// Stored event type names. They are part of the history: never rename one;
// add a .v2 and upcast instead.
const (
	TypeRegistered = "key.registered.v1"
	// TypeLent named the owner who authorised the loan in plain text (before
	// households). Decoded, never recorded any more.
	TypeLent = "key.lent.v1"
	// TypeLentV2 seals the authorising owner's name under the household's key.
	TypeLentV2        = "key.lent.v2"
	TypeReturned      = "key.returned.v1"
	TypeLoanOverdue   = "key.loan_overdue.v1"
	TypeLossReported  = "key.loss_reported.v1"
	TypeLossApproved  = "key.loss_approved.v1"
	TypeLoanFormFiled = "key.loan_form_filed.v1"
)

// Registered: a tagged key went into the custodian's keeping (R-K1).
type Registered struct {
	KeyID     string    `json:"key_id"`
	Project   string    `json:"project"`
	District  string    `json:"district"`
	Unit      string    `json:"unit"`
	Tag       string    `json:"tag"`
	Custodian string    `json:"custodian"`
	At        time.Time `json:"at"`
}

// Lent: the key went out on the owner's signed authorisation (R-K2).
type Lent struct {
	Borrower string `json:"borrower"`
	Purpose  string `json:"purpose,omitempty"`
	// AuthorisedBy is v1's plain-text name: read models never copy it.
	AuthorisedBy string `json:"authorised_by,omitempty"`
	// Authorisation is v2's: the name sealed under the key's household's key.
	Authorisation    *household.Sealed `json:"authorisation,omitempty"`
	AuthorisationRef string            `json:"authorisation_ref"`
	Due              time.Time         `json:"due"`
	At               time.Time         `json:"at"`
}

// Returned: the key is back in custody; the loan is closed (R-K2).
type Returned struct {
	At time.Time `json:"at"`
}

// LoanOverdue: the key was not back by its due time. Recorded by a policy.
type LoanOverdue struct {
	Due time.Time `json:"due"`
	At  time.Time `json:"at"`
}

// LossReported: the key cannot be found (R-K4).
type LossReported struct {
	Note string    `json:"note"`
	At   time.Time `json:"at"`
}

// LossApproved: the project manager approved the loss report and named who
// is accountable (R-K4).
type LossApproved struct {
	Accountable string    `json:"accountable"`
	Note        string    `json:"note,omitempty"`
	At          time.Time `json:"at"`
}

// LoanFormFiled: the loan form of loan number Loan (1 for the key's first
// loan) was filed into the owner's archive at Stage "lent" or "returned"
// (R-K5). Recorded by the filing policy after the archive recorded it.
type LoanFormFiled struct {
	Loan      int       `json:"loan"`
	Stage     string    `json:"stage"`
	ArchiveID string    `json:"archive_id"`
	Document  string    `json:"document"`
	At        time.Time `json:"at"`
}

func (LoanFormFiled) EventType() string { return TypeLoanFormFiled }
func (Registered) EventType() string    { return TypeRegistered }
func (l Lent) EventType() string {
	if l.Authorisation != nil || l.AuthorisedBy == "" {
		return TypeLentV2
	}
	return TypeLent
}
func (Returned) EventType() string     { return TypeReturned }
func (LoanOverdue) EventType() string  { return TypeLoanOverdue }
func (LossReported) EventType() string { return TypeLossReported }
func (LossApproved) EventType() string { return TypeLossApproved }

// Decode turns a stored key event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered:
		return decode[Registered](eventType, data)
	case TypeLent, TypeLentV2:
		return decode[Lent](eventType, data)
	case TypeReturned:
		return decode[Returned](eventType, data)
	case TypeLoanOverdue:
		return decode[LoanOverdue](eventType, data)
	case TypeLossReported:
		return decode[LossReported](eventType, data)
	case TypeLossApproved:
		return decode[LossApproved](eventType, data)
	case TypeLoanFormFiled:
		return decode[LoanFormFiled](eventType, data)
	}
	return nil, fmt.Errorf("key: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("key: decode %s: %w", eventType, err)
	}
	return p, nil
}
