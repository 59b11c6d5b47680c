// Package bench measures Butler against its performance targets (durable
// appends and the disk's raw group-commit limit, HTTP commands, projection
// lag, read-model rebuild, search, memory and restart) and holds the
// replay helpers the crash-torture test shares.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"sync"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// EventReader is the part of the event store a replay reads.
type EventReader interface {
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
}

// ReplayBatch is how many events one replayed batch holds. The live
// subscriber sends up to 500; a rebuild reads far ahead of any reader, and
// bigger batches mean fewer, larger index segments to merge (the profile
// of a rebuild with 500 is dominated by scorch segment merging).
var ReplayBatch = 50000

// ReplayWorkers is how many runners apply a batch at once (0: one per
// core). Measured with BenchmarkRebuildWorkers: more than one per core is
// slower (the work is CPU: folding, indexing, segment merges).
var ReplayWorkers = 0

// Replay folds all of $all through every projection into search, whose
// read models must be empty (a fresh index directory or prefix), batch by
// batch, with the projections' own runners (the code the program runs, as
// a rebuild drives them), and returns how many events it read.
func Replay(ctx context.Context, events EventReader, search projections.SearchStore, ps []projections.Projection, logger *slog.Logger) (int, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	runners := make([]*projections.Runner, 0, len(ps))
	for _, p := range ps {
		r := projections.NewRunner(p, search, logger)
		if err := r.Init(ctx); err != nil {
			return 0, err
		}
		if err := r.Replaying(); err != nil {
			return 0, err
		}
		runners = append(runners, r)
	}
	// Runners are independent of each other (each has its own index and
	// checkpoint), so a batch is applied by several of them concurrently;
	// each runner still sees the batches in order.
	workers := ReplayWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(runners))
	n := 0
	for from := event.Position(0); ; {
		batch, err := events.ReadAll(ctx, from, event.Forward, ReplayBatch)
		if err != nil {
			return n, err
		}
		if len(batch) == 0 {
			return n, nil
		}
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(runners); i += workers {
					if err := runners[i].HandleBatch(ctx, batch); err != nil {
						errs[w] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return n, err
		}
		n += len(batch)
		from = batch[len(batch)-1].Position
	}
}

// Compact merges every projection's index into its most compact form, as a
// rebuild does before switching to a new generation, when the store can
// (projections.Compacter); indexes are compacted by one worker per core.
func Compact(ctx context.Context, search projections.SearchStore, ps []projections.Projection) error {
	c, ok := search.(projections.Compacter)
	if !ok {
		return nil
	}
	work := make(chan string, len(ps))
	for _, p := range ps {
		work <- p.Name()
	}
	close(work)
	workers := min(runtime.GOMAXPROCS(0), len(ps))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range work {
				if err := c.Compact(ctx, name); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Dump reads every document of one index, by id.
func Dump(ctx context.Context, search projections.SearchStore, index string) (map[string]projections.Document, error) {
	out := map[string]projections.Document{}
	q := projections.Query{Size: 1000}
	for {
		res, err := search.Search(ctx, index, q)
		if err != nil {
			return nil, err
		}
		for _, d := range res.Hits {
			out[d.ID] = d
		}
		if len(res.Hits) < q.Size || res.Cursor == "" {
			return out, nil
		}
		q.After = res.Cursor
	}
}

// Compare reports every difference between the documents of two stores for
// the given projections: missing, extra, other version or other content.
func Compare(ctx context.Context, live, fresh projections.SearchStore, ps []projections.Projection) error {
	var errs []error
	for _, p := range ps {
		a, err := Dump(ctx, live, p.Name())
		if err != nil {
			return fmt.Errorf("%s (live): %w", p.Name(), err)
		}
		b, err := Dump(ctx, fresh, p.Name())
		if err != nil {
			return fmt.Errorf("%s (fresh): %w", p.Name(), err)
		}
		for id, want := range b {
			got, ok := a[id]
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("%s/%s: in the rebuild, missing from the live index", p.Name(), id))
			case got.Version != want.Version:
				errs = append(errs, fmt.Errorf("%s/%s: live version %d, rebuild %d", p.Name(), id, got.Version, want.Version))
			case !sameJSON(got.Source, want.Source):
				errs = append(errs, fmt.Errorf("%s/%s: live and rebuilt documents differ:\n live %s\n want %s", p.Name(), id, got.Source, want.Source))
			}
			if len(errs) > 20 {
				return errors.Join(errs...)
			}
		}
		for id := range a {
			if _, ok := b[id]; !ok {
				errs = append(errs, fmt.Errorf("%s/%s: in the live index, not in the rebuild", p.Name(), id))
			}
		}
	}
	return errors.Join(errs...)
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(x, y)
}
