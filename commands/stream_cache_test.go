package commands_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/event"
)

const readPage = 512

// countingStore counts the events the store itself returned.
type countingStore struct {
	*memStore
	read int
}

func (s *countingStore) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	recs, err := s.memStore.ReadStream(ctx, stream, from, dir, max)
	s.read += len(recs)
	return recs, err
}

func appendN(t *testing.T, s commands.EventStore, stream string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if _, err := s.Append(context.Background(), stream, event.Any(), event.Event{ID: fmt.Sprintf("%s-%d", stream, i), Type: "t.v1", Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
}

func revisions(recs []event.Recorded) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Revision
	}
	return out
}

func TestCachedStreamsSeeWhatOthersAppend(t *testing.T) {
	ctx := context.Background()
	store := &countingStore{memStore: newMemStore()}
	cached := commands.CachedStreams(store, 1000)
	appendN(t, store, "staff-1", 700)

	whole, err := event.ReadStreamWhole(ctx, cached, "staff-1", readPage)
	if err != nil || len(whole) != 700 {
		t.Fatalf("first read: %d events, %v", len(whole), err)
	}
	store.read = 0
	// Another server appends behind the cache's back.
	appendN(t, store, "staff-1", 3)
	whole, err = event.ReadStreamWhole(ctx, cached, "staff-1", readPage)
	if err != nil || len(whole) != 703 {
		t.Fatalf("second read: %d events, %v; want the 3 appended elsewhere too", len(whole), err)
	}
	for i, r := range whole {
		if r.Revision != uint64(i) {
			t.Fatalf("event %d has revision %d", i, r.Revision)
		}
	}
	if store.read != 3 {
		t.Fatalf("the second read took %d events from the store, want only the 3 new ones", store.read)
	}
	// A read from the middle gives what the store gives.
	got, err := cached.ReadStream(ctx, "staff-1", 690, event.Forward, 5)
	want, _ := store.memStore.ReadStream(ctx, "staff-1", 690, event.Forward, 5)
	if err != nil || fmt.Sprint(revisions(got)) != fmt.Sprint(revisions(want)) {
		t.Fatalf("read from 690: %v, %v; want %v", revisions(got), err, revisions(want))
	}
	// Appending to what a reader got must not change what the cache holds.
	_ = append(got, event.Recorded{Revision: 999})
	again, _ := cached.ReadStream(ctx, "staff-1", 690, event.Forward, 20)
	if len(again) != 13 || again[5].Revision != 695 {
		t.Fatalf("after a caller appended to its slice the cache gives %v", revisions(again))
	}
}

func TestCachedStreamsMissingStreamAndBound(t *testing.T) {
	ctx := context.Background()
	store := &countingStore{memStore: newMemStore()}
	cached := commands.CachedStreams(store, 100)
	if _, err := cached.ReadStream(ctx, "none", 0, event.Forward, 10); err != event.ErrStreamNotFound {
		t.Fatalf("a missing stream: %v, want ErrStreamNotFound", err)
	}
	for i := 0; i < 10; i++ {
		s := fmt.Sprintf("c-%d", i)
		appendN(t, store, s, 30)
		if _, err := event.ReadStreamWhole(ctx, cached, s, readPage); err != nil {
			t.Fatal(err)
		}
	}
	// Room for 100 events: the latest streams are served from memory, the
	// first ones from the store again.
	store.read = 0
	if recs, err := cached.ReadStream(ctx, "c-9", 0, event.Forward, 10); err != nil || len(recs) != 10 || store.read != 0 {
		t.Fatalf("c-9 from memory: %d events, %v, %d from the store", len(recs), err, store.read)
	}
	if recs, err := cached.ReadStream(ctx, "c-0", 0, event.Forward, 10); err != nil || len(recs) != 10 || store.read != 10 {
		t.Fatalf("c-0 from the store: %d events, %v, %d from the store", len(recs), err, store.read)
	}
}

// Readers of one stream while it grows each get its events in order, none
// missing, however their reads and the appends interleave.
func TestCachedStreamsConcurrentReadersOfAGrowingStream(t *testing.T) {
	ctx := context.Background()
	store := newMemStore()
	cached := commands.CachedStreams(store, 10_000)
	appendN(t, store, "unit-1", 1)
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				recs, err := event.ReadStreamWhole(ctx, cached, "unit-1", 64)
				if err != nil {
					errs <- err
					return
				}
				for i, r := range recs {
					if r.Revision != uint64(i) {
						errs <- fmt.Errorf("event %d of %d has revision %d", i, len(recs), r.Revision)
						return
					}
				}
				if len(recs) < last {
					errs <- fmt.Errorf("a read gave %d events after one gave %d", len(recs), last)
					return
				}
				last = len(recs)
				_ = append(recs, event.Recorded{Revision: 1 << 40}) // must not reach the cache
			}
		}()
	}
	for i := 1; i < 300; i++ {
		if _, err := store.Append(ctx, "unit-1", event.Any(), event.Event{ID: fmt.Sprintf("u-%d", i), Type: "t.v1", Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	recs, err := event.ReadStreamWhole(ctx, cached, "unit-1", 64)
	if err != nil || len(recs) != 300 {
		t.Fatalf("after the appends: %d events, %v; want 300", len(recs), err)
	}
}
