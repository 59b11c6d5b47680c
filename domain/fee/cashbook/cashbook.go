// Package cashbook is the cashier ledger (出纳台账, R-F4): one project's
// week of money the cashier booked, one entry per receipt, so that the
// weekly reconciliation takes the cashier's total from what was booked
// instead of a figure typed in. A week that ends without a reconciliation
// is recorded here too, by a time rule.
//
//	open ─entry…─▶ open ─(week ended, no reconciliation)─▶ reconciliation_missed
package cashbook

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// WeekOf is t's ISO week (2026-W10) in the projects' calendar.
func WeekOf(t time.Time) string {
	y, w := localtime.In(t).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WeekStart is the first instant (Monday 00:00, local) of an ISO week, or
// false if week is not YYYY-Www.
func WeekStart(week string) (time.Time, bool) {
	var y, n int
	if _, err := fmt.Sscanf(week, "%4d-W%2d", &y, &n); err != nil || len(week) != 8 || n < 1 || n > 53 {
		return time.Time{}, false
	}
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, localtime.Zone())
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(n-1))
	if WeekOf(monday) != week {
		return time.Time{}, false
	}
	return monday, true
}

// WeekEnd is the first instant after an ISO week.
func WeekEnd(week string) (time.Time, bool) {
	start, ok := WeekStart(week)
	return start.AddDate(0, 0, 7), ok
}

// Domain errors.
var (
	ErrNotOpened       = errors.New("nothing has been booked in this cashier-ledger week")
	ErrWeekInvalid     = errors.New("a cashier-ledger week names its project and ISO week (2026-W10)")
	ErrEntryIncomplete = errors.New("a cashier-ledger entry names its receipt number and a positive amount in fen")
	ErrReceiptBooked   = errors.New("the receipt is already booked in this week's cashier ledger")
	ErrNotThisWeek     = errors.New("an entry is booked in the week it is made")
	ErrWeekNotOver     = errors.New("a week's missing reconciliation is recorded after the week ends")
)

// Stored event type names.
const (
	TypeEntryBooked          = "cashbook.entry_booked.v1"
	TypeReconciliationMissed = "cashbook.reconciliation_missed.v1"
)

// EntryBooked: the cashier booked money received under its receipt (R-F4).
type EntryBooked struct {
	Project   string    `json:"project"`
	Week      string    `json:"week"`
	ReceiptNo string    `json:"receipt_no"`
	AmountFen int64     `json:"amount_fen"`
	Method    string    `json:"method,omitempty"`
	Note      string    `json:"note,omitempty"`
	At        time.Time `json:"at"`
}

// ReconciliationMissed: the week ended without a reconciliation of the
// customer-service and cashier ledgers (R-F4: weekly). Recorded by a policy.
type ReconciliationMissed struct {
	Project string    `json:"project"`
	Week    string    `json:"week"`
	At      time.Time `json:"at"`
}

func (EntryBooked) EventType() string          { return TypeEntryBooked }
func (ReconciliationMissed) EventType() string { return TypeReconciliationMissed }

// Decode turns a stored cashier-ledger event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeEntryBooked:
		return decode[EntryBooked](eventType, data)
	case TypeReconciliationMissed:
		return decode[ReconciliationMissed](eventType, data)
	}
	return nil, fmt.Errorf("cashbook: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("cashbook: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Entry is money the cashier received, under its receipt.
type Entry struct {
	ReceiptNo, Method, Note string
	AmountFen               int64
}

// Week is the aggregate: one project's cashier ledger for one ISO week.
type Week struct {
	project, week string
	totalFen      int64
	receipts      []string
	booked        map[string]bool
	missed        bool

	changes []event.Payload
}

// Open starts a week with nothing booked (its stream does not exist yet).
func Open(project, week string) (*Week, error) {
	if strings.TrimSpace(project) == "" {
		return nil, ErrWeekInvalid
	}
	if _, ok := WeekStart(week); !ok {
		return nil, ErrWeekInvalid
	}
	return &Week{project: project, week: week, booked: map[string]bool{}}, nil
}

// FromHistory rebuilds a week from its stored events.
func FromHistory(history []event.Payload) (*Week, error) {
	if len(history) == 0 {
		return nil, ErrNotOpened
	}
	w := &Week{booked: map[string]bool{}}
	for _, p := range history {
		if err := w.apply(p); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Book records an entry of money received this week, once per receipt.
func (w *Week) Book(e Entry, now time.Time) error {
	if WeekOf(now) != w.week {
		return ErrNotThisWeek
	}
	receipt := strings.TrimSpace(e.ReceiptNo)
	if receipt == "" || e.AmountFen <= 0 {
		return ErrEntryIncomplete
	}
	if w.booked[receipt] {
		return ErrReceiptBooked
	}
	w.record(EntryBooked{Project: w.project, Week: w.week, ReceiptNo: receipt, AmountFen: e.AmountFen,
		Method: strings.TrimSpace(e.Method), Note: e.Note, At: now})
	return nil
}

// RecordReconciliationMissed records, once, that the week ended without a
// reconciliation; the caller knows there was none (the reconciliations
// are their own records). It reports whether it recorded the event.
func (w *Week) RecordReconciliationMissed(now time.Time) (bool, error) {
	end, _ := WeekEnd(w.week)
	if now.Before(end) {
		return false, ErrWeekNotOver
	}
	if w.missed {
		return false, nil
	}
	w.record(ReconciliationMissed{Project: w.project, Week: w.week, At: now})
	return true, nil
}

// Accessors.
func (w *Week) Project() string    { return w.project }
func (w *Week) District() string   { return "" } // the cashier ledger is the project's
func (w *Week) Week() string       { return w.week }
func (w *Week) TotalFen() int64    { return w.totalFen }
func (w *Week) Receipts() []string { return append([]string(nil), w.receipts...) }

// Changes returns the events recorded since the week was built.
func (w *Week) Changes() []event.Payload { return w.changes }

func (w *Week) record(p event.Payload) {
	_ = w.apply(p)
	w.changes = append(w.changes, p)
}

func (w *Week) apply(p event.Payload) error {
	switch e := p.(type) {
	case EntryBooked:
		w.project, w.week = e.Project, e.Week
		w.totalFen += e.AmountFen
		w.receipts = append(w.receipts, e.ReceiptNo)
		w.booked[e.ReceiptNo] = true
	case ReconciliationMissed:
		w.project, w.week, w.missed = e.Project, e.Week, true
	default:
		return fmt.Errorf("cashbook: cannot apply %T", p)
	}
	return nil
}
