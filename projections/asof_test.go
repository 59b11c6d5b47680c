package projections_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// counter is a read model of one document counting the events it saw.
type counter struct{}

func (counter) Name() string               { return "counter" }
func (counter) Schema() projections.Schema { return projections.Schema{Name: "counter"} }
func (counter) Apply(ctx context.Context, e event.Recorded, docs *projections.Docs) error {
	var n int
	if d, found, err := docs.Get(ctx, "n"); err != nil {
		return err
	} else if found {
		if err := json.Unmarshal(d.Source, &n); err != nil {
			return err
		}
	}
	src, _ := json.Marshal(n + 1)
	docs.Put(projections.Document{ID: "n", Version: uint64(e.Position), Source: src})
	return nil
}

// log is $all of n events, one a second from t0, read a page at a time.
type log struct {
	t0 time.Time
	n  int
}

func (l log) ReadAll(_ context.Context, from event.Position, _ event.Direction, max int) ([]event.Recorded, error) {
	var out []event.Recorded
	for p := int(from) + 1; p <= l.n && len(out) < max; p++ {
		out = append(out, event.Recorded{Stream: "s", Position: event.Position(p), RecordedAt: l.t0.Add(time.Duration(p) * time.Second)})
	}
	return out, nil
}

func TestFoldLogUntilStopsAtTheLastEventRecordedThen(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		events    int
		at        time.Time
		wantCount int
	}{
		{"in the second page", 2500, t0.Add(1500 * time.Second), 1500},
		{"between two events", 2500, t0.Add(1500*time.Second + time.Millisecond), 1500},
		{"exactly one full page", 1000, t0.Add(time.Hour), 1000},
		{"after the last event", 2500, t0.Add(time.Hour), 2500},
		{"before the first event", 2500, t0, 0},
	} {
		f := projections.NewMemoryFold(counter{})
		n, err := projections.FoldLogUntil(t.Context(), log{t0, tc.events}, tc.at, f)
		if err != nil || n != tc.wantCount {
			t.Fatalf("%s: folded %d events (%v), want %d", tc.name, n, err, tc.wantCount)
		}
		d, err := f.Get("counter", "n")
		if tc.wantCount == 0 {
			if err != projections.ErrNotFound {
				t.Fatalf("%s: %v, want no document", tc.name, err)
			}
			continue
		}
		if err != nil || string(d.Source) != itoa(tc.wantCount) || d.Version != uint64(tc.wantCount) {
			t.Fatalf("%s: document %s version %d (%v), want %d", tc.name, d.Source, d.Version, err, tc.wantCount)
		}
	}
}

func TestFoldLogUntilStopsWhenTheRequestEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := projections.FoldLogUntil(ctx, log{time.Now(), 10}, time.Now().Add(time.Hour), projections.NewMemoryFold(counter{}))
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
