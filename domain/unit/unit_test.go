package unit_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/unit"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var given = unit.Registered{Project: "p1", District: "d1", At: t0, Units: []unit.Unit{
	{Unit: "1-1-101", Building: "1", Status: unit.Occupied},
	{Unit: "1-1-102", Building: "1", Status: unit.Vacant},
	{Unit: "1-1-103", Building: "1", Status: unit.Occupied},
}}

func register(history ...event.Payload) *unit.Register {
	r := unit.New("p1", "d1")
	for _, p := range history {
		r.Apply(p)
	}
	return r
}

func TestRegisterUnits(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		units []unit.Unit
		then  []event.Payload
		err   error
		says  string
	}{
		{"the building defaults to the code's first part, the status to occupied", nil,
			[]unit.Unit{{Unit: " 12-1-1802 "}, {Unit: "A3", Building: "A", Status: unit.Vacant}},
			[]event.Payload{unit.Registered{Project: "p1", District: "d1", At: now, Units: []unit.Unit{
				{Unit: "12-1-1802", Building: "12", Status: unit.Occupied}, {Unit: "A3", Building: "A", Status: unit.Vacant}}}}, nil, ""},
		{"a unit listed twice refuses the batch, naming it", nil,
			[]unit.Unit{{Unit: "1-1-101"}, {Unit: "1-1-101"}}, nil, unit.ErrDuplicate, "1-1-101"},
		{"a unit registered already refuses the batch, naming it", []event.Payload{given},
			[]unit.Unit{{Unit: "1-1-104"}, {Unit: "1-1-103"}}, nil, unit.ErrDuplicate, "registered already: 1-1-103"},
		{"a malformed code", nil, []unit.Unit{{Unit: "1 1 101"}}, nil, unit.ErrUnitCode, "units[0]"},
		{"a code with no building", nil, []unit.Unit{{Unit: "101"}}, nil, unit.ErrBuilding, "101"},
		{"an unknown status", nil, []unit.Unit{{Unit: "1-1", Status: "sold"}}, nil, unit.ErrStatus, ""},
		{"nothing to register", nil, nil, nil, unit.ErrNoUnits, ""},
		{"too many at once", nil, make([]unit.Unit, unit.MaxBatch+1), nil, unit.ErrBatchTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := register(tt.given...)
			err := r.Register(tt.units, now)
			if !errors.Is(err, tt.err) || (err != nil && !strings.Contains(err.Error(), tt.says)) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.err, tt.says)
			}
			if !reflect.DeepEqual(r.Changes(), tt.then) {
				t.Fatalf("changes = %#v", r.Changes())
			}
		})
	}
}

// R-H1 counts occupied units; R-H7 keeps key clients with a reason.
func TestHouseholdsAndKeyClients(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	r := register(given)
	if r.Households() != 2 || r.Len() != 3 || !r.Occupied("1-1-101") || r.Occupied("1-1-102") || r.Has("9-9-999") {
		t.Fatalf("households = %d of %d", r.Households(), r.Len())
	}
	if err := r.SetStatus("1-1-102", unit.Occupied, now); err != nil || r.Households() != 3 {
		t.Fatalf("moved in: %v, %d", err, r.Households())
	}
	if err := r.SetStatus("1-1-102", unit.Occupied, now); !errors.Is(err, unit.ErrStatusSame) {
		t.Fatalf("same status: %v", err)
	}
	if err := r.SetStatus("9-9-999", unit.Vacant, now); !errors.Is(err, unit.ErrUnknownUnit) {
		t.Fatalf("unknown unit: %v", err)
	}
	if err := r.MarkKeyClient("1-1-101", " ", now); !errors.Is(err, unit.ErrReasonMissing) {
		t.Fatalf("no reason: %v", err)
	}
	if err := r.MarkKeyClient("9-9-999", "业委会成员", now); !errors.Is(err, unit.ErrUnknownUnit) {
		t.Fatalf("R-H7 only registered units are key clients: %v", err)
	}
	if err := r.MarkKeyClient("1-1-101", "业委会成员", now); err != nil || !r.KeyClient("1-1-101") {
		t.Fatalf("mark: %v", err)
	}
	if err := r.MarkKeyClient("1-1-101", "again", now); !errors.Is(err, unit.ErrKeyClient) {
		t.Fatalf("mark twice: %v", err)
	}
	if !reflect.DeepEqual(r.KeyClients(), []string{"1-1-101"}) {
		t.Fatalf("key clients = %v", r.KeyClients())
	}
	if err := r.UnmarkKeyClient("1-1-103", "x", now); !errors.Is(err, unit.ErrNotAKeyClient) {
		t.Fatalf("unmark a non-key client: %v", err)
	}
	if err := r.UnmarkKeyClient("1-1-101", "已搬离", now); err != nil || r.KeyClient("1-1-101") {
		t.Fatalf("unmark: %v", err)
	}
	want := []event.Payload{
		unit.StatusChanged{Unit: "1-1-102", Status: unit.Occupied, At: now},
		unit.KeyClientMarked{Unit: "1-1-101", Reason: "业委会成员", At: now},
		unit.KeyClientUnmarked{Unit: "1-1-101", Reason: "已搬离", At: now},
	}
	if !reflect.DeepEqual(r.Changes(), want) {
		t.Fatalf("changes = %#v", r.Changes())
	}
	// rebuilt from its events, the register says the same
	again := register(append([]event.Payload{given}, want...)...)
	if again.Households() != 3 || again.KeyClient("1-1-101") || len(again.KeyClients()) != 0 {
		t.Fatal("rebuilt register differs")
	}
}
