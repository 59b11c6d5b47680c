package reconcile_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key/reconcile"
)

// 2026-03-02 09:00 in China.
var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func TestReconcile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		when func(d *reconcile.Day) error
		then []event.Payload
		err  error
	}{
		{"R-K3 count equals ledger: reconciled, no discrepancy",
			func(d *reconcile.Day) error { return d.Reconcile(12, 12, nil, "", t0) },
			[]event.Payload{reconcile.Reconciled{Project: "p1", Day: "2026-03-02", Ledger: 12, Counted: 12, At: t0}}, nil},
		{"R-K3 a difference is a discrepancy event",
			func(d *reconcile.Day) error { return d.Reconcile(12, 11, []string{"K-007"}, "", t0) },
			[]event.Payload{
				reconcile.Reconciled{Project: "p1", Day: "2026-03-02", Ledger: 12, Counted: 11, MissingTags: []string{"K-007"}, At: t0},
				reconcile.DiscrepancyFound{Project: "p1", Day: "2026-03-02", Difference: 1, MissingTags: []string{"K-007"}, At: t0},
			}, nil},
		{"missing tags cannot exceed the difference",
			func(d *reconcile.Day) error { return d.Reconcile(12, 11, []string{"K-1", "K-2"}, "", t0) }, nil, reconcile.ErrMissingTagsUnequal},
		{"counts are not negative",
			func(d *reconcile.Day) error { return d.Reconcile(-1, 0, nil, "", t0) }, nil, reconcile.ErrCountNegative},
		{"a reconciliation belongs to the day it is made",
			func(d *reconcile.Day) error { return d.Reconcile(1, 1, nil, "", t0.Add(24*time.Hour)) }, nil, reconcile.ErrNotToday},
		{"R-K3 the ledger is the register's: 5 registered, 1 lost, 1 on loan leave 3 in the cabinet",
			func(d *reconcile.Day) error {
				return d.ReconcileWithRegister(reconcile.Register{Registered: 5, Lost: 1, OnLoan: 1}, 3, nil, "", t0)
			},
			[]event.Payload{reconcile.ReconciledV2{Project: "p1", Day: "2026-03-02", Register: reconcile.Register{Registered: 5, Lost: 1, OnLoan: 1},
				Ledger: 3, Counted: 3, At: t0}}, nil},
		{"R-K3 a count above the register's ledger is a discrepancy (one key registered, 999 counted)",
			func(d *reconcile.Day) error {
				return d.ReconcileWithRegister(reconcile.Register{Registered: 1}, 999, nil, "", t0)
			},
			[]event.Payload{
				reconcile.ReconciledV2{Project: "p1", Day: "2026-03-02", Register: reconcile.Register{Registered: 1}, Ledger: 1, Counted: 999, At: t0},
				reconcile.DiscrepancyFound{Project: "p1", Day: "2026-03-02", Difference: -998, At: t0},
			}, nil},
		{"the register cannot lose or lend more keys than it has",
			func(d *reconcile.Day) error {
				return d.ReconcileWithRegister(reconcile.Register{Registered: 1, Lost: 1, OnLoan: 1}, 0, nil, "", t0)
			}, nil, reconcile.ErrRegisterInvalid},
		{"R-K3 supervisor's weekly check",
			func(d *reconcile.Day) error { return d.SupervisorCheck(true, "", t0) },
			[]event.Payload{reconcile.SupervisorChecked{Project: "p1", Day: "2026-03-02", Matches: true, At: t0}}, nil},
		{"a failed supervisor check says what differs",
			func(d *reconcile.Day) error { return d.SupervisorCheck(false, " ", t0) }, nil, reconcile.ErrCheckNoteMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := reconcile.Open("p1", "2026-03-02")
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(d); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(d.Changes(), tt.then) {
				t.Fatalf("changes = %#v", d.Changes())
			}
		})
	}
}

func TestMissedReconciliation(t *testing.T) {
	t.Parallel()
	end, _ := reconcile.DayEnd("2026-03-02")
	d, _ := reconcile.Open("p1", "2026-03-02")
	if ok, _ := d.RecordMissed(end.Add(-time.Second)); ok {
		t.Fatal("missed recorded before the day ended")
	}
	if ok, _ := d.RecordMissed(end); !ok {
		t.Fatal("R-K3: a day without reconciliation must be recorded as missed")
	}
	if ok, _ := d.RecordMissed(end.Add(time.Hour)); ok {
		t.Fatal("missed recorded twice")
	}
	done, err := reconcile.FromHistory([]event.Payload{reconcile.Reconciled{Project: "p1", Day: "2026-03-02", Ledger: 1, Counted: 1, At: t0}})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := done.RecordMissed(end); ok {
		t.Fatal("a reconciled day is not missed")
	}
	if _, err := reconcile.Open("p1", "2 March"); !errors.Is(err, reconcile.ErrDayInvalid) {
		t.Fatalf("err = %v", err)
	}
	if _, err := reconcile.FromHistory(nil); !errors.Is(err, reconcile.ErrNotOpened) {
		t.Fatalf("err = %v", err)
	}
}
