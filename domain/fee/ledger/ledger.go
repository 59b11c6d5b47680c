// Package ledger is the weekly reconciliation of the customer-service fee
// ledger against the cashier's ledger (台账核对, R-F4). A difference is a
// mismatch that stays open until someone explains it.
package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Domain errors.
var (
	ErrNotReconciled         = errors.New("the ledger reconciliation has not been recorded")
	ErrReconciliationInvalid = errors.New("a reconciliation names its project and ISO week (2026-W10)")
	ErrAmountNegative        = errors.New("ledger totals are whole fen, not negative")
	ErrNoMismatch            = errors.New("the ledgers agree: there is no mismatch to explain")
	ErrAlreadyExplained      = errors.New("the mismatch is already explained")
	ErrExplanationMissing    = errors.New("an explanation says why the ledgers differ")
)

// Stored event type names.
const (
	TypeReconciled        = "feeledger.reconciled.v1"
	TypeReconciledV2      = "feeledger.reconciled.v2"
	TypeMismatchFound     = "feeledger.mismatch_found.v1"
	TypeMismatchExplained = "feeledger.mismatch_explained.v1"
)

// Reconciled: both ledgers' totals for the week were compared (R-F4).
type Reconciled struct {
	ReconciliationID string    `json:"reconciliation_id"`
	Project          string    `json:"project"`
	Week             string    `json:"week"`
	ServiceFen       int64     `json:"service_ledger_fen"`
	CashierFen       int64     `json:"cashier_ledger_fen"`
	Note             string    `json:"note,omitempty"`
	At               time.Time `json:"at"`
}

// Side is one ledger's week as recorded: its total in fen and the
// receipts behind it.
type Side struct {
	TotalFen int64    `json:"total_fen"`
	Receipts []string `json:"receipts"`
}

// ReconciledV2: the week's ledgers were compared with both totals taken
// from what was recorded (R-F4), not typed in: the customer-service ledger
// from the payments recorded on bills that week, the cashier ledger from
// the cashier's entries booked that week. Receipts in one and not the
// other are named.
type ReconciledV2 struct {
	ReconciliationID string    `json:"reconciliation_id"`
	Project          string    `json:"project"`
	Week             string    `json:"week"`
	ServiceFen       int64     `json:"service_ledger_fen"`
	CashierFen       int64     `json:"cashier_ledger_fen"`
	ServiceReceipts  int       `json:"service_receipts"`
	CashierReceipts  int       `json:"cashier_receipts"`
	OnlyInService    []string  `json:"only_in_service,omitempty"`
	OnlyInCashier    []string  `json:"only_in_cashier,omitempty"`
	Note             string    `json:"note,omitempty"`
	At               time.Time `json:"at"`
}

// MismatchFound: the ledgers differ; open until explained.
type MismatchFound struct {
	DifferenceFen int64     `json:"difference_fen"` // service − cashier
	At            time.Time `json:"at"`
}

// MismatchExplained: why they differed; the mismatch is closed.
type MismatchExplained struct {
	Explanation string    `json:"explanation"`
	At          time.Time `json:"at"`
}

func (Reconciled) EventType() string        { return TypeReconciled }
func (ReconciledV2) EventType() string      { return TypeReconciledV2 }
func (MismatchFound) EventType() string     { return TypeMismatchFound }
func (MismatchExplained) EventType() string { return TypeMismatchExplained }

// Decode turns a stored reconciliation event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	var p event.Payload
	var err error
	switch eventType {
	case TypeReconciled:
		var e Reconciled
		err = json.Unmarshal(data, &e)
		p = e
	case TypeReconciledV2:
		var e ReconciledV2
		err = json.Unmarshal(data, &e)
		p = e
	case TypeMismatchFound:
		var e MismatchFound
		err = json.Unmarshal(data, &e)
		p = e
	case TypeMismatchExplained:
		var e MismatchExplained
		err = json.Unmarshal(data, &e)
		p = e
	default:
		return nil, fmt.Errorf("ledger: unknown event type %q", eventType)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Reconciliation is the aggregate.
type Reconciliation struct {
	id, project       string
	mismatch, explain bool

	changes []event.Payload
}

// Reconcile compares the week's ledger totals; a difference also records
// an open mismatch.
func Reconcile(id, project, week string, serviceFen, cashierFen int64, note string, now time.Time) (*Reconciliation, error) {
	if strings.TrimSpace(id) == "" || strings.TrimSpace(project) == "" || !validWeek(week) {
		return nil, ErrReconciliationInvalid
	}
	if serviceFen < 0 || cashierFen < 0 {
		return nil, ErrAmountNegative
	}
	r := &Reconciliation{}
	r.record(Reconciled{ReconciliationID: id, Project: project, Week: week, ServiceFen: serviceFen, CashierFen: cashierFen, Note: note, At: now})
	if serviceFen != cashierFen {
		r.record(MismatchFound{DifferenceFen: serviceFen - cashierFen, At: now})
	}
	return r, nil
}

// ReconcileRecorded compares the week's ledgers as recorded (R-F4): the
// customer-service side (payments on bills) against the cashier side
// (entries booked). A different total, or a receipt in one and not the
// other, is a mismatch that stays open until explained.
func ReconcileRecorded(id, project, week string, service, cashier Side, note string, now time.Time) (*Reconciliation, error) {
	if strings.TrimSpace(id) == "" || strings.TrimSpace(project) == "" || !validWeek(week) {
		return nil, ErrReconciliationInvalid
	}
	if service.TotalFen < 0 || cashier.TotalFen < 0 {
		return nil, ErrAmountNegative
	}
	onlyService, onlyCashier := missingFrom(service.Receipts, cashier.Receipts), missingFrom(cashier.Receipts, service.Receipts)
	r := &Reconciliation{}
	r.record(ReconciledV2{ReconciliationID: id, Project: project, Week: week, ServiceFen: service.TotalFen, CashierFen: cashier.TotalFen,
		ServiceReceipts: len(service.Receipts), CashierReceipts: len(cashier.Receipts),
		OnlyInService: onlyService, OnlyInCashier: onlyCashier, Note: note, At: now})
	if service.TotalFen != cashier.TotalFen || len(onlyService) > 0 || len(onlyCashier) > 0 {
		r.record(MismatchFound{DifferenceFen: service.TotalFen - cashier.TotalFen, At: now})
	}
	return r, nil
}

// missingFrom lists the receipts of a that b does not have, in a's order.
func missingFrom(a, b []string) []string {
	have := map[string]bool{}
	for _, x := range b {
		have[x] = true
	}
	var out []string
	for _, x := range a {
		if !have[x] {
			out = append(out, x)
		}
	}
	return out
}

// FromHistory rebuilds a reconciliation.
func FromHistory(history []event.Payload) (*Reconciliation, error) {
	r := &Reconciliation{}
	for _, e := range history {
		if err := r.apply(e); err != nil {
			return nil, err
		}
	}
	if r.id == "" {
		return nil, ErrNotReconciled
	}
	return r, nil
}

// Explain closes the open mismatch with why the ledgers differed.
func (r *Reconciliation) Explain(explanation string, now time.Time) error {
	if !r.mismatch {
		return ErrNoMismatch
	}
	if r.explain {
		return ErrAlreadyExplained
	}
	if strings.TrimSpace(explanation) == "" {
		return ErrExplanationMissing
	}
	r.record(MismatchExplained{Explanation: explanation, At: now})
	return nil
}

// Accessors.
func (r *Reconciliation) ID() string       { return r.id }
func (r *Reconciliation) Project() string  { return r.project }
func (r *Reconciliation) District() string { return "" } // both ledgers are the project's
func (r *Reconciliation) Open() bool       { return r.mismatch && !r.explain }

// Changes returns the events recorded since the reconciliation was built.
func (r *Reconciliation) Changes() []event.Payload { return r.changes }

func (r *Reconciliation) record(e event.Payload) {
	_ = r.apply(e)
	r.changes = append(r.changes, e)
}

func (r *Reconciliation) apply(e event.Payload) error {
	_, v1 := e.(Reconciled)
	_, v2 := e.(ReconciledV2)
	if first := v1 || v2; first != (r.id == "") {
		return fmt.Errorf("ledger: %s out of order: %w", e.EventType(), ErrNotReconciled)
	}
	switch e := e.(type) {
	case Reconciled:
		r.id, r.project = e.ReconciliationID, e.Project
	case ReconciledV2:
		r.id, r.project = e.ReconciliationID, e.Project
	case MismatchFound:
		r.mismatch = true
	case MismatchExplained:
		r.explain = true
	default:
		return fmt.Errorf("ledger: cannot apply %T", e)
	}
	return nil
}

// validWeek accepts an ISO week such as 2026-W10.
func validWeek(w string) bool {
	var y, n int
	if _, err := fmt.Sscanf(w, "%4d-W%2d", &y, &n); err != nil || len(w) != 8 {
		return false
	}
	return y >= 2000 && n >= 1 && n <= 53
}
