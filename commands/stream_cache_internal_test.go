package commands

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

type flatEvent struct {
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	N    int       `json:"n"`
	Pair [2]string `json:"pair"`
}

func (flatEvent) EventType() string { return "test.flat.v1" }

type listEvent struct {
	IDs []string `json:"ids"`
}

func (listEvent) EventType() string { return "test.list.v1" }

func TestFlatPayloads(t *testing.T) {
	for _, c := range []struct {
		v    any
		flat bool
	}{
		{flatEvent{}, true},
		{listEvent{}, false},
		{&flatEvent{}, false},
		{struct{ M map[string]int }{}, false},
		{struct{ E any }{}, false},
		{struct{ R json.RawMessage }{}, false},
	} {
		if got := flatPayload(reflect.TypeOf(c.v)); got != c.flat {
			t.Errorf("%T: flat %v, want %v", c.v, got, c.flat)
		}
	}
}

// A flat payload is decoded once and then shared; any other is decoded on
// every read, since a command may change what it holds.
func TestDecodedPayloadsAreSharedOnlyWhenFlat(t *testing.T) {
	c := CachedStreams(nil, 100).(*streamCache)
	calls := 0
	decode := func(typ string, data []byte) (event.Payload, error) {
		calls++
		if typ == "test.list.v1" {
			var l listEvent
			return l, json.Unmarshal(data, &l)
		}
		var f flatEvent
		return f, json.Unmarshal(data, &f)
	}
	// No positions, as an older EventStoreDB reports on stream reads: two
	// events of one stream must not be taken for one another.
	flat := event.Recorded{Event: event.Event{ID: "e1", Type: "test.flat.v1", Data: []byte(`{"id":"a","n":3}`)}, Stream: "s", Revision: 0}
	other := event.Recorded{Event: event.Event{ID: "e2", Type: "test.flat.v1", Data: []byte(`{"id":"b","n":4}`)}, Stream: "s", Revision: 1}
	list := event.Recorded{Event: event.Event{ID: "e3", Type: "test.list.v1", Data: []byte(`{"ids":["x"]}`)}, Stream: "s", Revision: 2}
	for i := 0; i < 3; i++ {
		p, err := c.decode(flat, decode)
		if err != nil || p.(flatEvent).ID != "a" || p.(flatEvent).N != 3 {
			t.Fatalf("flat payload %v, %v", p, err)
		}
		l, err := c.decode(list, decode)
		if err != nil || len(l.(listEvent).IDs) != 1 {
			t.Fatalf("list payload %v, %v", l, err)
		}
	}
	if calls != 1+3 {
		t.Fatalf("decode called %d times; want once for the flat payload and each time for the list (4)", calls)
	}
	if p, err := c.decode(other, decode); err != nil || p.(flatEvent).ID != "b" {
		t.Fatalf("the stream's next event decoded as %v, %v; want its own payload", p, err)
	}
}
