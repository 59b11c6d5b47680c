// Package eventbustest is the contract suite of the Watermill subscriber
// over an event store's $all: every event store it runs on must make it
// behave the same.
package eventbustest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventbus"
	"github.com/butler-pm/butler/infra/eventstore"
)

// Run checks the subscriber over the store open returns. The store may be
// shared with other tests: the suite only looks at streams of its own.
func Run(t *testing.T, open func(t *testing.T) eventstore.Store) {
	t.Run("delivers stored then live events in order, one batch at a time", func(t *testing.T) {
		t.Parallel()
		s, prefix := open(t), newPrefix()
		ctx := t.Context()
		appendN(t, s, prefix+"a", 30)
		sub := eventbus.NewSubscriber(s, func(context.Context) (event.Position, error) { return 0, nil }, eventbus.Options{MaxBatch: 7})
		defer sub.Close()
		ch, err := sub.Subscribe(ctx, "$all")
		if err != nil {
			t.Fatal(err)
		}
		go appendN(t, s, prefix+"b", 30)
		got := collect(t, ch, prefix, 60, func(m *message.Message, evs []event.Recorded) {
			if len(evs) > 7 {
				t.Errorf("batch of %d events, MaxBatch is 7", len(evs))
			}
			m.Ack()
		})
		checkOrder(t, got, prefix, 30)
	})
	t.Run("a nacked batch is redelivered as it was", func(t *testing.T) {
		t.Parallel()
		s, prefix := open(t), newPrefix()
		appendN(t, s, prefix+"a", 5)
		sub := eventbus.NewSubscriber(s, func(context.Context) (event.Position, error) { return 0, nil },
			eventbus.Options{MaxBatch: 100, RetryDelay: 10 * time.Millisecond})
		defer sub.Close()
		ch, err := sub.Subscribe(t.Context(), "$all")
		if err != nil {
			t.Fatal(err)
		}
		nacks := 0
		var first []string
		got := collect(t, ch, prefix, 5, func(m *message.Message, evs []event.Recorded) {
			mine := ids(evs, prefix)
			if len(mine) > 0 && nacks < 2 {
				if first == nil {
					first = mine
				} else if strings.Join(first, ",") != strings.Join(mine, ",") {
					t.Errorf("redelivered batch differs: %v then %v", first, mine)
				}
				nacks++
				m.Nack()
				return
			}
			m.Ack()
		})
		if nacks != 2 {
			t.Fatalf("nacked %d times", nacks)
		}
		checkOrder(t, got, prefix, 5)
	})
	t.Run("starts after the start position", func(t *testing.T) {
		t.Parallel()
		s, prefix := open(t), newPrefix()
		appendN(t, s, prefix+"a", 10)
		evs, err := s.ReadStream(t.Context(), prefix+"a", 4, event.Forward, 1)
		if err != nil {
			t.Fatal(err)
		}
		after := evs[0].Position // the 5th event
		sub := eventbus.NewSubscriber(s, func(context.Context) (event.Position, error) { return after, nil }, eventbus.Options{})
		defer sub.Close()
		ch, err := sub.Subscribe(t.Context(), "$all")
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, ch, prefix, 5, func(m *message.Message, _ []event.Recorded) { m.Ack() })
		if got[0].Revision != 5 {
			t.Fatalf("first delivered revision %d, want 5", got[0].Revision)
		}
	})
	t.Run("close ends the subscription", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		sub := eventbus.NewSubscriber(s, func(context.Context) (event.Position, error) { return 0, nil }, eventbus.Options{})
		ch, err := sub.Subscribe(t.Context(), "$all")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			for m := range ch {
				m.Ack()
			}
			close(done)
		}()
		if err := sub.Close(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the output channel stayed open after Close")
		}
	})
}

func newPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "bus" + hex.EncodeToString(b) + "-"
}

func appendN(t *testing.T, s eventstore.Store, stream string, n int) {
	for i := 0; i < n; i++ {
		e := event.Event{ID: uuid.NewString(), Type: "test.happened.v1", Data: json.RawMessage(`{"n":1}`),
			Meta: event.Metadata{Project: "p", District: "d", OccurredAt: time.Now().UTC()}}
		if _, err := s.Append(context.Background(), stream, event.Any(), e); err != nil {
			t.Error(err)
			return
		}
	}
}

func ids(evs []event.Recorded, prefix string) []string {
	var out []string
	for _, e := range evs {
		if strings.HasPrefix(e.Stream, prefix) {
			out = append(out, e.ID)
		}
	}
	return out
}

// collect reads messages until want events of the prefix's streams arrived.
func collect(t *testing.T, ch <-chan *message.Message, prefix string, want int, handle func(*message.Message, []event.Recorded)) []event.Recorded {
	t.Helper()
	var got []event.Recorded
	var lastPos event.Position
	timeout := time.After(20 * time.Second)
	for len(got) < want {
		select {
		case m, ok := <-ch:
			if !ok {
				t.Fatal("channel closed early")
			}
			evs, err := eventbus.Events(m)
			if err != nil {
				t.Fatal(err)
			}
			acked := false
			handle(m, evs)
			select {
			case <-m.Acked():
				acked = true
			default:
			}
			if !acked {
				continue
			}
			for _, e := range evs {
				if e.Position <= lastPos {
					t.Fatalf("position %d delivered after %d", e.Position, lastPos)
				}
				lastPos = e.Position
				if strings.HasPrefix(e.Stream, prefix) {
					got = append(got, e)
				}
			}
		case <-timeout:
			t.Fatalf("only %d of %d events within 20 s", len(got), want)
		}
	}
	return got
}

// checkOrder checks that every stream's events came once each, in revision order.
func checkOrder(t *testing.T, got []event.Recorded, prefix string, perStream int) {
	t.Helper()
	next := map[string]uint64{}
	for _, e := range got {
		if e.Revision != next[e.Stream] {
			t.Fatalf("%s: revision %d delivered when %d was due", e.Stream, e.Revision, next[e.Stream])
		}
		next[e.Stream]++
	}
	for s, n := range next {
		if n != uint64(perStream) {
			t.Fatalf("%s: %d events delivered, want %d", s, n, perStream)
		}
	}
}
