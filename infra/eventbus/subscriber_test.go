package eventbus_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventbus"
	"github.com/butler-pm/butler/infra/eventbus/eventbustest"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
)

func TestSubscriberOnTheEmbeddedStore(t *testing.T) {
	t.Parallel()
	eventbustest.Run(t, func(t *testing.T) eventstore.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestSubscriberOnEventStoreDB(t *testing.T) {
	t.Parallel()
	eventbustest.Run(t, func(t *testing.T) eventstore.Store {
		backend, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		srv, err := esdbserver.Start(ctx, backend, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s, err := esdb.Open(ctx, srv.ConnString())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = s.Close()
			srv.Stop()
			cancel()
			_ = backend.Close()
		})
		return s
	})
}

// hubbed is a store whose $all subscriptions go through a Hub, as the
// program runs them.
type hubbed struct {
	eventstore.Store
	hub *eventbus.Hub
}

func (h hubbed) SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error) {
	return h.hub.SubscribeAll(ctx, after)
}

func TestSubscriberThroughTheHub(t *testing.T) {
	t.Parallel()
	eventbustest.Run(t, func(t *testing.T) eventstore.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		// A tiny memory makes subscribers fall behind it and read from the store.
		hub, err := eventbus.NewHub(ctx, s, 8, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cancel()
			_ = s.Close()
		})
		return hubbed{Store: s, hub: hub}
	})
}

// MinInterval turns a burst into one batch (one read-model write instead of
// one per event) but does not hold back an event that follows a quiet spell.
// Both ways of reading are checked: event by event from the store, and in
// batches from the Hub.
func TestMinIntervalGathersBurstsButNotTheFirstEvent(t *testing.T) {
	t.Parallel()
	t.Run("store", func(t *testing.T) {
		t.Parallel()
		s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		checkMinInterval(t, s, s)
	})
	t.Run("hub", func(t *testing.T) {
		t.Parallel()
		s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		hub, err := eventbus.NewHub(t.Context(), s, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkMinInterval(t, s, hub)
	})
}

func checkMinInterval(t *testing.T, s eventstore.Store, src eventbus.Source) {
	sub := eventbus.NewSubscriber(src, func(context.Context) (event.Position, error) { return 0, nil },
		eventbus.Options{MinInterval: time.Second})
	defer sub.Close()
	ch, err := sub.Subscribe(t.Context(), "$all")
	if err != nil {
		t.Fatal(err)
	}
	appendOne := func() {
		e := event.Event{ID: uuid.NewString(), Type: "test.happened.v1", Data: json.RawMessage(`{"n":1}`),
			Meta: event.Metadata{Project: "p", District: "d", OccurredAt: time.Now().UTC()}}
		if _, err := s.Append(context.Background(), "burst", event.Any(), e); err != nil {
			t.Error(err)
		}
	}
	receive := func() []event.Recorded {
		t.Helper()
		return receiveBatch(t, ch)
	}

	start := time.Now()
	appendOne()
	if evs := receive(); len(evs) != 1 {
		t.Fatalf("first batch has %d events, want 1", len(evs))
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the first event after a quiet spell took %s; it must not wait for MinInterval (1 s)", d)
	}
	// 20 single-event appends well within the interval: one batch.
	for range 20 {
		appendOne()
	}
	got, batches := 0, 0
	for got < 20 {
		got += len(receive())
		batches++
	}
	if got != 20 || batches > 2 {
		t.Errorf("a burst of 20 appends came as %d events in %d batches; want 20 in one (two if the burst outlasted the interval)", got, batches)
	}
}

// A subscriber far behind reads the store in pages of its own batch size:
// every batch but the last is full (pages of another size used to leave a
// small remainder batch after each page, each one more read-model write).
func TestBehindTheHubBatchesAreFull(t *testing.T) {
	t.Parallel()
	s, err := embedded.Open(filepath.Join(t.TempDir(), "events"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	const total, max = 1000, 300
	for i := 0; i < total; i += 100 {
		var es []event.Event
		for range 100 {
			es = append(es, event.Event{ID: uuid.NewString(), Type: "test.happened.v1", Data: json.RawMessage(`{}`),
				Meta: event.Metadata{Project: "p", District: "d", OccurredAt: time.Now().UTC()}})
		}
		if _, err := s.Append(t.Context(), "backlog", event.Any(), es...); err != nil {
			t.Fatal(err)
		}
	}
	// The hub starts at the end: the whole backlog is behind it.
	hub, err := eventbus.NewHub(t.Context(), s, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	sub := eventbus.NewSubscriber(hub, func(context.Context) (event.Position, error) { return 0, nil },
		eventbus.Options{MaxBatch: max})
	defer sub.Close()
	ch, err := sub.Subscribe(t.Context(), "$all")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for got := 0; got < total; {
		evs := receiveBatch(t, ch)
		sizes = append(sizes, len(evs))
		got += len(evs)
	}
	if want := []int{300, 300, 300, 100}; fmt.Sprint(sizes) != fmt.Sprint(want) {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
}

// receiveBatch takes the next message, acks it and returns its events; it
// fails the test when none comes within 10 s.
func receiveBatch(t *testing.T, ch <-chan *message.Message) []event.Recorded {
	t.Helper()
	select {
	case m := <-ch:
		evs, err := eventbus.Events(m)
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		return evs
	case <-time.After(10 * time.Second):
		t.Fatal("no batch within 10 s")
		return nil
	}
}
