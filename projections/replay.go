package projections

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// ReplayOptions tune ReplayAll.
type ReplayOptions struct {
	// Batch is how many events one replayed batch holds (default 50,000:
	// a rebuild reads far ahead of any reader, and bigger batches mean
	// fewer, larger index segments to merge). A batch takes up to a fifth
	// more when that is the rest of the log, rather than leave it a batch of
	// its own: every batch costs every read model a segment and a read of
	// the documents it changes (the demo's last 2,600 events took 0.6 s).
	Batch int
	// Workers is how many read models apply a batch at once (default one
	// per core: the work is CPU, more is slower).
	Workers int
	Logger  *slog.Logger
	// Progress, when set, is called after each batch with the events read.
	Progress func(events int)
	// Follow, when set, is closed by the writer of the log being replayed
	// (the demo's generator): until then the replay waits for more events
	// at the end of the log instead of ending there, takes a batch only
	// once a fifth of Batch is there (a small batch is an index segment of
	// its own for every read model), and folds with one worker, leaving the
	// writer a core.
	Follow <-chan struct{}
}

// followPoll is how often a following replay looks for more events.
const followPoll = 50 * time.Millisecond

// following reports whether the replay still follows a writer.
func (o ReplayOptions) following() bool {
	if o.Follow == nil {
		return false
	}
	select {
	case <-o.Follow:
		return false
	default:
		return true
	}
}

// ReplayAll folds $all, read once, through several read models whose
// indexes are empty, with their own runners in replay mode (the code the
// program runs, as a rebuild drives it), and returns how many events it
// read. The read models of one batch are shared among the workers longest
// first (by the time each took on the previous batch), so that the
// costliest one does not hold a worker while the others wait.
func ReplayAll(ctx context.Context, events LogReader, search SearchStore, ps []Projection, o ReplayOptions) (int, error) {
	if o.Batch <= 0 {
		o.Batch = 50_000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	runners := make([]*Runner, 0, len(ps))
	for _, p := range ps {
		r := NewRunner(p, search, o.Logger)
		if err := r.Init(ctx); err != nil {
			return 0, err
		}
		if err := r.Replaying(); err != nil {
			return 0, err
		}
		runners = append(runners, r)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(runners))
	took := make([]time.Duration, len(runners))
	order := make([]int, len(runners))
	for i := range order {
		order[i] = i
	}
	n := 0
	// read holds the events read and not folded yet, up to a batch and a
	// fifth; from is the position of the last event read.
	var read []event.Recorded
	for from := event.Position(0); ; {
		following := o.following()
		more, err := events.ReadAll(ctx, from, event.Forward, o.Batch+o.Batch/5-len(read))
		if err != nil {
			return n, err
		}
		if len(more) > 0 {
			read = append(read, more...)
			from = more[len(more)-1].Position
		}
		batch := read
		if len(batch) == o.Batch+o.Batch/5 {
			batch = batch[:o.Batch:o.Batch] // more may follow: the rest is the next batch's
		}
		if following && len(batch) < o.Batch/5 {
			// Kept, not read again: the next read asks only for what came after.
			select {
			case <-ctx.Done():
				return n, ctx.Err()
			case <-o.Follow:
			case <-time.After(followPoll):
			}
			continue
		}
		if len(batch) == 0 {
			// Built from nothing by this code: record so, or a server
			// starting on them would rebuild them (checkDefinitions).
			defs := make(map[string]string, len(ps))
			for _, p := range ps {
				defs[p.Name()] = Definition(p)
			}
			return n, RecordDefinitions(ctx, search, defs)
		}
		sort.SliceStable(order, func(a, b int) bool { return took[order[a]] > took[order[b]] })
		work := make(chan int, len(order))
		for _, i := range order {
			work <- i
		}
		close(work)
		errs := make([]error, workers)
		worker := func(w int) {
			for i := range work {
				start := time.Now()
				if err := runners[i].HandleBatch(ctx, batch); err != nil {
					errs[w] = err
					return
				}
				took[i] = time.Since(start)
			}
		}
		// While following a writer, one worker: the writer has the other
		// core. The others join the batch as soon as the writer is done,
		// not at the next batch: a followed batch can take seconds.
		batchWorkers := workers
		if following {
			batchWorkers = 1
		}
		var first, joiners, watcher sync.WaitGroup
		for w := range batchWorkers {
			first.Go(func() { worker(w) })
		}
		stop := make(chan struct{})
		if batchWorkers < workers {
			watcher.Go(func() {
				select {
				case <-o.Follow:
					for w := batchWorkers; w < workers; w++ {
						joiners.Go(func() { worker(w) })
					}
				case <-stop:
				}
			})
		}
		first.Wait() // the queue is empty, or a worker failed
		close(stop)
		watcher.Wait()
		joiners.Wait()
		if err := errors.Join(errs...); err != nil {
			return n, err
		}
		n += len(batch)
		read = append([]event.Recorded(nil), read[len(batch):]...)
		if o.Progress != nil {
			o.Progress(n)
		}
	}
}

// CompactAll merges each read model's index into its most compact form,
// as a rebuild does before switching to a new generation, when the store
// can (Compacter); one worker per core.
func CompactAll(ctx context.Context, search SearchStore, ps []Projection) error {
	c, ok := search.(Compacter)
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
