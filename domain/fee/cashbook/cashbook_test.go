package cashbook_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/cashbook"
)

// Monday 2 March 2026, 10:00 in China: ISO week 2026-W10.
var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func TestWeeks(t *testing.T) {
	t.Parallel()
	if w := cashbook.WeekOf(t0); w != "2026-W10" {
		t.Fatalf("week = %s", w)
	}
	// 07:00 on Monday 9 March in China is 23:00 UTC on Sunday: week 11 there.
	if w := cashbook.WeekOf(time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC)); w != "2026-W11" {
		t.Fatalf("week = %s, want the project's 2026-W11", w)
	}
	start, ok := cashbook.WeekStart("2026-W10")
	if !ok || !start.Equal(time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("start = %v %v", start, ok)
	}
	if _, ok := cashbook.WeekStart("2026-W60"); ok {
		t.Fatal("week 60 accepted")
	}
}

func TestCashierLedger(t *testing.T) {
	t.Parallel()
	booked := cashbook.EntryBooked{Project: "p1", Week: "2026-W10", ReceiptNo: "SK-1", AmountFen: 36250, Method: "cash", At: t0}
	tests := []struct {
		name  string
		given []event.Payload
		when  func(w *cashbook.Week) error
		then  []event.Payload
		err   error
	}{
		{"R-F4 an entry is booked under its receipt", nil,
			func(w *cashbook.Week) error {
				return w.Book(cashbook.Entry{ReceiptNo: " SK-1 ", AmountFen: 36250, Method: "cash"}, t0)
			}, []event.Payload{booked}, nil},
		{"a receipt is booked once a week", []event.Payload{booked},
			func(w *cashbook.Week) error { return w.Book(cashbook.Entry{ReceiptNo: "SK-1", AmountFen: 100}, t0) }, nil, cashbook.ErrReceiptBooked},
		{"an entry names its receipt", nil,
			func(w *cashbook.Week) error { return w.Book(cashbook.Entry{AmountFen: 100}, t0) }, nil, cashbook.ErrEntryIncomplete},
		{"an entry is a positive amount", nil,
			func(w *cashbook.Week) error { return w.Book(cashbook.Entry{ReceiptNo: "SK-2"}, t0) }, nil, cashbook.ErrEntryIncomplete},
		{"an entry is booked in its week", nil,
			func(w *cashbook.Week) error {
				return w.Book(cashbook.Entry{ReceiptNo: "SK-2", AmountFen: 1}, t0.AddDate(0, 0, 7))
			}, nil, cashbook.ErrNotThisWeek},
		{"R-F4 a week without reconciliation is recorded once it has ended", []event.Payload{booked},
			func(w *cashbook.Week) error {
				_, err := w.RecordReconciliationMissed(time.Date(2026, 3, 8, 16, 0, 0, 0, time.UTC))
				return err
			}, []event.Payload{cashbook.ReconciliationMissed{Project: "p1", Week: "2026-W10", At: time.Date(2026, 3, 8, 16, 0, 0, 0, time.UTC)}}, nil},
		{"not before the week ends", nil,
			func(w *cashbook.Week) error {
				_, err := w.RecordReconciliationMissed(time.Date(2026, 3, 8, 15, 59, 0, 0, time.UTC))
				return err
			}, nil, cashbook.ErrWeekNotOver},
		{"and never twice", []event.Payload{cashbook.ReconciliationMissed{Project: "p1", Week: "2026-W10", At: t0}},
			func(w *cashbook.Week) error {
				_, err := w.RecordReconciliationMissed(t0.AddDate(0, 0, 9))
				return err
			}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := cashbook.Open("p1", "2026-W10")
			if len(tt.given) > 0 {
				w, err = cashbook.FromHistory(tt.given)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(w); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(w.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", w.Changes(), tt.then)
			}
		})
	}
}
