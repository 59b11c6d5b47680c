package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Generations is what a search store offers to rebuild a read model
// without downtime: a fresh index under a new name, and an atomic switch of
// the read model's name to it (an alias in Elasticsearch).
type Generations interface {
	NewGeneration(ctx context.Context, schema Schema) (string, error)
	Promote(ctx context.Context, name, generation string) error
}

// Compacter is a search store that can merge an index into its most
// compact form. A rebuild compacts its new generation before switching to
// it when the store offers this (the embedded index does; Elasticsearch's
// own merge policy handles a freshly written index).
type Compacter interface {
	Compact(ctx context.Context, index string) error
}

// LogReader reads the global log.
type LogReader interface {
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
}

// RebuildResult says what a rebuild did.
type RebuildResult struct {
	Name       string         `json:"name"`
	Generation string         `json:"generation"`
	Events     uint64         `json:"events"`
	Checkpoint event.Position `json:"checkpoint"`
	Seconds    float64        `json:"seconds"`
}

// rebuildPage is how many events one replay batch holds.
const rebuildPage = 1000

// ErrRebuildRunning is returned when the read model is already being rebuilt.
var ErrRebuildRunning = errors.New("a rebuild of this read model is already running")

// ErrNoGenerations is returned when the search store cannot rebuild.
var ErrNoGenerations = errors.New("this search store cannot rebuild read models")

// Rebuild replays the whole log into a fresh generation of the runner's
// read model while the live one keeps answering, then pauses the live
// runner, replays what arrived meanwhile, switches the read model's name to
// the new generation and resumes. Nothing is lost: the live runner resumes
// after the new generation's checkpoint.
func (r *Runner) Rebuild(ctx context.Context, log LogReader, store SearchStore) (RebuildResult, error) {
	gens, ok := store.(Generations)
	if !ok {
		return RebuildResult{}, ErrNoGenerations
	}
	if !r.rebuilding.TryLock() {
		return RebuildResult{}, ErrRebuildRunning
	}
	defer r.rebuilding.Unlock()
	start := time.Now()
	res := RebuildResult{Name: r.p.Name()}
	gen, err := gens.NewGeneration(ctx, r.p.Schema())
	if err != nil {
		return res, fmt.Errorf("rebuild %s: %w", r.p.Name(), err)
	}
	res.Generation = gen
	fresh := newFreshIndex(freshKeep)
	// replay applies the log after position from up to and including upto
	// into the generation; it returns where to continue and how many
	// events it applied.
	replay := func(from, upto event.Position) (event.Position, int, error) {
		n := 0
		for {
			batch, err := log.ReadAll(ctx, from, event.Forward, rebuildPage)
			if err != nil {
				return from, n, err
			}
			full := len(batch) == rebuildPage
			for len(batch) > 0 && batch[len(batch)-1].Position > upto {
				batch, full = batch[:len(batch)-1], false
			}
			if len(batch) == 0 {
				return from, n, nil
			}
			if _, err := r.apply(ctx, gen, batch, fresh); err != nil {
				return from, n, err
			}
			n += len(batch)
			res.Events += uint64(len(batch))
			res.Checkpoint = batch[len(batch)-1].Position
			from = res.Checkpoint
			if !full {
				return from, n, nil
			}
		}
	}
	headNow := func() (event.Position, error) {
		h, err := log.ReadAll(ctx, event.End, event.Backward, 1)
		if err != nil || len(h) == 0 {
			return 0, err
		}
		return h[0].Position, nil
	}
	// Replay up to the head as it was when each pass began: commands keep
	// arriving, and a pass must end even when they come faster than this
	// store can fold them. A few passes bring the new index close to the
	// head while the live read model still answers.
	var next event.Position
	for pass := 0; pass < 10; pass++ {
		head, err := headNow()
		if err != nil {
			return res, fmt.Errorf("rebuild %s: reading the head: %w", r.p.Name(), err)
		}
		var n int
		if next, n, err = replay(next, head); err != nil {
			return res, fmt.Errorf("rebuild %s: replaying: %w", r.p.Name(), err)
		}
		if pass > 0 && n < rebuildPage {
			break
		}
	}
	// Compact while the live read model still answers: the tail that
	// follows adds only a few small segments.
	if c, ok := store.(Compacter); ok {
		if err := c.Compact(ctx, gen); err != nil {
			return res, fmt.Errorf("rebuild %s: %w", r.p.Name(), err)
		}
	}
	// Hold the live runner, replay up to the head as it is now (later
	// events go to the live runner after the switch), and switch.
	r.handling.Lock()
	defer r.handling.Unlock()
	head, err := headNow()
	if err != nil {
		return res, fmt.Errorf("rebuild %s: reading the head: %w", r.p.Name(), err)
	}
	if _, _, err := replay(next, head); err != nil {
		return res, fmt.Errorf("rebuild %s: replaying the tail: %w", r.p.Name(), err)
	}
	if err := gens.Promote(ctx, r.p.Name(), gen); err != nil {
		return res, fmt.Errorf("rebuild %s: switching to %s: %w", r.p.Name(), gen, err)
	}
	// The read model is now what this code's definition builds.
	if err := RecordDefinition(ctx, store, r.p.Name(), Definition(r.p)); err != nil {
		return res, fmt.Errorf("rebuild %s: recording its definition: %w", r.p.Name(), err)
	}
	r.mu.Lock()
	if res.Checkpoint > r.status.Checkpoint {
		r.status.Checkpoint = res.Checkpoint
	}
	r.mu.Unlock()
	res.Seconds = time.Since(start).Seconds()
	r.logger.Info("read model rebuilt", "generation", gen, "events", res.Events, "seconds", res.Seconds)
	return res, nil
}
