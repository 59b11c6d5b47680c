package lostproperty_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

var (
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	found = lostproperty.Found{ItemID: "i1", Project: "p1", District: "d1", Description: "黑色钱包", Place: "3 栋大堂",
		FoundAt: t0.Add(-time.Hour), Finder: "b-1", At: t0}
	handed = lostproperty.HandedIn{Keeper: "k-1", Storage: "服务中心保险柜", At: t0.Add(time.Hour)}
)

func TestRegister(t *testing.T) {
	t.Parallel()
	it, err := lostproperty.Register(found)
	if err != nil || !reflect.DeepEqual(it.Changes(), []event.Payload{found}) {
		t.Fatalf("%v %v", it, err)
	}
	f := found
	f.Place = ""
	if _, err := lostproperty.Register(f); !errors.Is(err, lostproperty.ErrFindIncomplete) {
		t.Fatalf("err = %v", err)
	}
	f = found
	f.FoundAt = t0.Add(time.Hour)
	if _, err := lostproperty.Register(f); !errors.Is(err, lostproperty.ErrFoundInFuture) {
		t.Fatalf("err = %v", err)
	}
}

func TestItemRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(2 * time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(it *lostproperty.Item) error
		then  []event.Payload
		err   error
	}{
		{"R-S9 handed in to the keeper", []event.Payload{found},
			func(it *lostproperty.Item) error { return it.HandIn("k-1", "服务中心保险柜", t0.Add(time.Hour)) }, []event.Payload{handed}, nil},
		{"R-S9 the finder does not keep it", []event.Payload{found},
			func(it *lostproperty.Item) error { return it.HandIn("b-1", "", now) }, nil, lostproperty.ErrKeeperIsFinder},
		{"R-S9 handed in once", []event.Payload{found, handed},
			func(it *lostproperty.Item) error { return it.HandIn("k-2", "", now) }, nil, lostproperty.ErrAlreadyHandedIn},
		{"R-S9 not returned before it is handed in", []event.Payload{found},
			func(it *lostproperty.Item) error {
				return it.Return("3-2-501", "核对身份证与钱包内证件", now)
			}, nil, lostproperty.ErrNotHeld},
		{"R-S9 returned to its owner, by unit and proof", []event.Payload{found, handed},
			func(it *lostproperty.Item) error { return it.Return("3-2-501", "核对钱包内证件", now) },
			[]event.Payload{lostproperty.Returned{ClaimantUnit: "3-2-501", Proof: "核对钱包内证件", At: now}}, nil},
		{"R-S9 a return says what proof was checked", []event.Payload{found, handed},
			func(it *lostproperty.Item) error { return it.Return("3-2-501", "", now) }, nil, lostproperty.ErrReturnIncomplete},
		{"R-S9 kept 90 days before disposal", []event.Payload{found, handed},
			func(it *lostproperty.Item) error { return it.Dispose("donated", "无人认领", t0.AddDate(0, 0, 80)) }, nil, lostproperty.ErrHeldTooShort},
		{"R-S9 disposed of after 90 days", []event.Payload{found, handed},
			func(it *lostproperty.Item) error {
				return it.Dispose("police", "无人认领，交派出所", t0.AddDate(0, 0, 90))
			},
			[]event.Payload{lostproperty.Disposed{Method: "police", Reason: "无人认领，交派出所", At: t0.AddDate(0, 0, 90)}}, nil},
		{"R-S9 a disposal says how", []event.Payload{found, handed},
			func(it *lostproperty.Item) error { return it.Dispose("sold", "x", t0.AddDate(0, 0, 90)) }, nil, lostproperty.ErrDisposalIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			it, err := lostproperty.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(it); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(it.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", it.Changes(), tt.then)
			}
		})
	}
}

// R-S9: a find not handed in within 24 hours is recorded overdue, once.
func TestHandInOverdue(t *testing.T) {
	t.Parallel()
	it, _ := lostproperty.FromHistory([]event.Payload{found})
	if ok, _ := it.RecordHandInOverdue(t0.Add(23 * time.Hour)); ok {
		t.Fatal("overdue before 24 h")
	}
	if ok, _ := it.RecordHandInOverdue(t0.Add(24 * time.Hour)); !ok {
		t.Fatal("not overdue at 24 h")
	}
	if ok, _ := it.RecordHandInOverdue(t0.Add(25 * time.Hour)); ok {
		t.Fatal("recorded twice")
	}
	held, _ := lostproperty.FromHistory([]event.Payload{found, handed})
	if ok, _ := held.RecordHandInOverdue(t0.Add(48 * time.Hour)); ok {
		t.Fatal("a handed-in item is not overdue")
	}
}
