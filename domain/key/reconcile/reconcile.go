// Package reconcile is the key register's day (钥匙核对, R-K3): the
// custodian counts the keys against the ledger every day, a difference is a
// discrepancy event, the supervisor checks ledger against physical keys
// weekly, and a day that ends without a reconciliation is recorded as
// missed. One aggregate per project and calendar day.
package reconcile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Zone was the projects' calendar, fixed at China time.
//
// Deprecated: days are the project's (domain/localtime, --timezone); DayOf uses it.
var Zone = time.FixedZone("CST", 8*3600)

// DayOf is the calendar day (YYYY-MM-DD) of t in the project's time zone.
func DayOf(t time.Time) string { return localtime.Day(t) }

// DayEnd is the first instant after day, or false if day is not YYYY-MM-DD.
func DayEnd(day string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, day, localtime.Zone())
	if err != nil {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, 1), true
}

// Domain errors.
var (
	ErrNotOpened          = errors.New("nothing has been recorded for this key-register day")
	ErrDayInvalid         = errors.New("a key-register day names its project and a date (YYYY-MM-DD)")
	ErrCountNegative      = errors.New("key counts cannot be negative")
	ErrMissingTagsUnequal = errors.New("the tags listed as missing must account for the difference between ledger and count")
	ErrNotToday           = errors.New("a reconciliation is recorded on the day it is made")
	ErrCheckNoteMissing   = errors.New("a supervisor check that finds the ledger and the keys disagree says what differs")
	ErrRegisterInvalid    = errors.New("the key register's counts cannot be negative, nor more keys lost or on loan than registered")
)

// Stored event type names.
const (
	TypeReconciled         = "key.reconciled.v1"
	TypeReconciledV2       = "key.reconciled.v2"
	TypeDiscrepancyFound   = "key.discrepancy_found.v1"
	TypeSupervisorChecked  = "key.supervisor_checked.v1"
	TypeReconciliationMiss = "key.reconciliation_missed.v1"
)

// Reconciled: the custodian counted the keys against the ledger (R-K3).
type Reconciled struct {
	Project     string    `json:"project"`
	Day         string    `json:"day"`
	Ledger      int       `json:"ledger"`
	Counted     int       `json:"counted"`
	MissingTags []string  `json:"missing_tags,omitempty"`
	Note        string    `json:"note,omitempty"`
	At          time.Time `json:"at"`
}

// Register is the key register's count of a project's keys when a
// reconciliation is made (R-K3): every key registered, those lost (loss
// reported or approved), those out on loan. The ledger, the keys that
// should be in the cabinet, is what is left.
type Register struct {
	Registered int `json:"registered"`
	Lost       int `json:"lost"`
	OnLoan     int `json:"on_loan"`
}

// InCustody is the ledger: registered keys neither lost nor on loan.
func (r Register) InCustody() int { return r.Registered - r.Lost - r.OnLoan }

// ReconciledV2: the custodian counted the keys against the ledger taken
// from the key register (R-K3), not typed in: Ledger is
// Register.InCustody(), and the register's counts are kept with it.
type ReconciledV2 struct {
	Project     string    `json:"project"`
	Day         string    `json:"day"`
	Register    Register  `json:"register"`
	Ledger      int       `json:"ledger"`
	Counted     int       `json:"counted"`
	MissingTags []string  `json:"missing_tags,omitempty"`
	Note        string    `json:"note,omitempty"`
	At          time.Time `json:"at"`
}

// DiscrepancyFound: the count and the ledger differ (R-K3).
type DiscrepancyFound struct {
	Project     string    `json:"project"`
	Day         string    `json:"day"`
	Difference  int       `json:"difference"` // ledger − counted
	MissingTags []string  `json:"missing_tags,omitempty"`
	At          time.Time `json:"at"`
}

// SupervisorChecked: the supervisor's weekly check of ledger against keys (R-K3).
type SupervisorChecked struct {
	Project string    `json:"project"`
	Day     string    `json:"day"`
	Matches bool      `json:"matches"`
	Note    string    `json:"note,omitempty"`
	At      time.Time `json:"at"`
}

// ReconciliationMissed: the day ended without a reconciliation. Recorded by a policy.
type ReconciliationMissed struct {
	Project string    `json:"project"`
	Day     string    `json:"day"`
	At      time.Time `json:"at"`
}

func (Reconciled) EventType() string           { return TypeReconciled }
func (ReconciledV2) EventType() string         { return TypeReconciledV2 }
func (DiscrepancyFound) EventType() string     { return TypeDiscrepancyFound }
func (SupervisorChecked) EventType() string    { return TypeSupervisorChecked }
func (ReconciliationMissed) EventType() string { return TypeReconciliationMiss }

// Decode turns a stored key-register-day event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeReconciled:
		return decode[Reconciled](eventType, data)
	case TypeReconciledV2:
		return decode[ReconciledV2](eventType, data)
	case TypeDiscrepancyFound:
		return decode[DiscrepancyFound](eventType, data)
	case TypeSupervisorChecked:
		return decode[SupervisorChecked](eventType, data)
	case TypeReconciliationMiss:
		return decode[ReconciliationMissed](eventType, data)
	}
	return nil, fmt.Errorf("reconcile: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("reconcile: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Day is the aggregate: one project's key register on one calendar day.
type Day struct {
	project, day string
	reconciled   bool
	missed       bool

	changes []event.Payload
}

// Open starts a day with nothing recorded (its stream does not exist yet).
func Open(project, day string) (*Day, error) {
	if strings.TrimSpace(project) == "" {
		return nil, ErrDayInvalid
	}
	if _, ok := DayEnd(day); !ok {
		return nil, ErrDayInvalid
	}
	return &Day{project: project, day: day}, nil
}

// FromHistory rebuilds a day from its stored events.
func FromHistory(history []event.Payload) (*Day, error) {
	if len(history) == 0 {
		return nil, ErrNotOpened
	}
	d := &Day{}
	for _, p := range history {
		if err := d.apply(p); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Reconcile records the custodian's count against a ledger count given by
// the caller (key.reconciled.v1): only where no key register is at hand
// (the demo generator, which has no read models); the server reconciles
// with ReconcileWithRegister. A
// difference is also recorded as a discrepancy. A recount the same day is
// recorded too (a found key is a fact worth keeping).
func (d *Day) Reconcile(ledger, counted int, missingTags []string, note string, now time.Time) error {
	if DayOf(now) != d.day {
		return ErrNotToday
	}
	if ledger < 0 || counted < 0 {
		return ErrCountNegative
	}
	tags := nonBlank(missingTags)
	if diff := ledger - counted; diff > 0 && len(tags) > diff || diff <= 0 && len(tags) > 0 {
		return ErrMissingTagsUnequal
	}
	d.record(Reconciled{Project: d.project, Day: d.day, Ledger: ledger, Counted: counted, MissingTags: tags, Note: note, At: now})
	if ledger != counted {
		d.record(DiscrepancyFound{Project: d.project, Day: d.day, Difference: ledger - counted, MissingTags: tags, At: now})
	}
	return nil
}

// ReconcileWithRegister records the custodian's count against the ledger
// the key register gives (R-K3): the ledger is not typed in, it is the
// keys registered less those lost and those on loan. A difference is
// recorded as a discrepancy, as with Reconcile.
func (d *Day) ReconcileWithRegister(reg Register, counted int, missingTags []string, note string, now time.Time) error {
	if DayOf(now) != d.day {
		return ErrNotToday
	}
	if reg.Registered < 0 || reg.Lost < 0 || reg.OnLoan < 0 || reg.InCustody() < 0 {
		return ErrRegisterInvalid
	}
	if counted < 0 {
		return ErrCountNegative
	}
	ledger := reg.InCustody()
	tags := nonBlank(missingTags)
	if diff := ledger - counted; diff > 0 && len(tags) > diff || diff <= 0 && len(tags) > 0 {
		return ErrMissingTagsUnequal
	}
	d.record(ReconciledV2{Project: d.project, Day: d.day, Register: reg, Ledger: ledger, Counted: counted, MissingTags: tags, Note: note, At: now})
	if ledger != counted {
		d.record(DiscrepancyFound{Project: d.project, Day: d.day, Difference: ledger - counted, MissingTags: tags, At: now})
	}
	return nil
}

// SupervisorCheck records the weekly check of ledger against keys.
func (d *Day) SupervisorCheck(matches bool, note string, now time.Time) error {
	if DayOf(now) != d.day {
		return ErrNotToday
	}
	if !matches && strings.TrimSpace(note) == "" {
		return ErrCheckNoteMissing
	}
	d.record(SupervisorChecked{Project: d.project, Day: d.day, Matches: matches, Note: note, At: now})
	return nil
}

// RecordMissed records, once, that the day ended without a reconciliation.
// It reports whether it recorded the event.
func (d *Day) RecordMissed(now time.Time) (bool, error) {
	end, _ := DayEnd(d.day)
	if d.reconciled || d.missed || now.Before(end) {
		return false, nil
	}
	d.record(ReconciliationMissed{Project: d.project, Day: d.day, At: now})
	return true, nil
}

// Accessors.
func (d *Day) Project() string  { return d.project }
func (d *Day) District() string { return "" } // the key register is the project's
func (d *Day) Date() string     { return d.day }
func (d *Day) Reconciled() bool { return d.reconciled }

// Changes returns the events recorded since the day was built.
func (d *Day) Changes() []event.Payload { return d.changes }

func (d *Day) record(p event.Payload) {
	_ = d.apply(p)
	d.changes = append(d.changes, p)
}

func (d *Day) apply(p event.Payload) error {
	switch e := p.(type) {
	case Reconciled:
		d.project, d.day, d.reconciled = e.Project, e.Day, true
	case ReconciledV2:
		d.project, d.day, d.reconciled = e.Project, e.Day, true
	case DiscrepancyFound:
		d.project, d.day = e.Project, e.Day
	case SupervisorChecked:
		d.project, d.day = e.Project, e.Day
	case ReconciliationMissed:
		d.project, d.day, d.missed = e.Project, e.Day, true
	default:
		return fmt.Errorf("reconcile: cannot apply %T", p)
	}
	return nil
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
