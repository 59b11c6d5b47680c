package event_test

import (
	"context"
	"errors"
	"testing"

	"github.com/butler-pm/butler/domain/event"
)

// pages is a stream of n events read from a slice; reads counts the calls.
type pages struct {
	n     int
	err   error
	reads int
}

func (p *pages) ReadStream(_ context.Context, _ string, from uint64, _ event.Direction, max int) ([]event.Recorded, error) {
	p.reads++
	if p.err != nil {
		return nil, p.err
	}
	var out []event.Recorded
	for r := from; r < uint64(p.n) && len(out) < max; r++ {
		out = append(out, event.Recorded{Revision: r})
	}
	return out, nil
}

func TestReadAllReadsEveryPageInOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, page, reads int
	}{
		{n: 1, page: 3, reads: 1},
		{n: 3, page: 3, reads: 2}, // a full last page needs one more read to know it was the last
		{n: 7, page: 3, reads: 3},
	} {
		p := &pages{n: tc.n}
		all, err := event.ReadStreamWhole(t.Context(), p, "s", tc.page)
		if err != nil {
			t.Fatalf("n=%d page=%d: %v", tc.n, tc.page, err)
		}
		if len(all) != tc.n || p.reads != tc.reads {
			t.Fatalf("n=%d page=%d: got %d events in %d reads, want %d in %d", tc.n, tc.page, len(all), p.reads, tc.n, tc.reads)
		}
		for i, e := range all {
			if e.Revision != uint64(i) {
				t.Fatalf("n=%d page=%d: event %d has revision %d", tc.n, tc.page, i, e.Revision)
			}
		}
	}
}

func TestReadAllReportsAnEmptyStreamAsNotFoundAndPassesErrorsOn(t *testing.T) {
	t.Parallel()
	if _, err := event.ReadStreamWhole(t.Context(), &pages{}, "s", 3); !errors.Is(err, event.ErrStreamNotFound) {
		t.Fatalf("empty stream: err = %v, want ErrStreamNotFound", err)
	}
	if _, err := event.ReadStreamWhole(t.Context(), &pages{err: event.ErrUnavailable}, "s", 3); !errors.Is(err, event.ErrUnavailable) {
		t.Fatalf("unavailable store: err = %v, want ErrUnavailable", err)
	}
}

type pagedLog []event.Recorded

func (l pagedLog) ReadAll(_ context.Context, from event.Position, _ event.Direction, max int) ([]event.Recorded, error) {
	var out []event.Recorded
	for _, r := range l {
		if r.Position > from && len(out) < max {
			out = append(out, r)
		}
	}
	return out, nil
}

func TestScanAllReadsEveryPageInOrder(t *testing.T) {
	var log pagedLog
	for p := event.Position(1); p <= 10; p++ {
		log = append(log, event.Recorded{Position: p * 3})
	}
	var got []event.Position
	var pages int
	if err := event.ScanAll(context.Background(), log, 6, 4, func(recs []event.Recorded) error {
		pages++
		for _, r := range recs {
			got = append(got, r.Position)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 || got[0] != 9 || got[7] != 30 || pages != 2 {
		t.Fatalf("read %v in %d pages", got, pages)
	}
}
