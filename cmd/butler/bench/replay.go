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
	"path/filepath"
	"reflect"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// EventReader is the part of the event store a replay reads.
type EventReader interface {
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
}

// ReplayBatch and ReplayWorkers tune Replay (see projections.ReplayOptions;
// 0 workers: one per core).
var (
	ReplayBatch   = 50000
	ReplayWorkers = 0
)

// Replay folds all of $all through every projection into search, whose
// read models must be empty (projections.ReplayAll), and returns how many
// events it read.
func Replay(ctx context.Context, events EventReader, search projections.SearchStore, ps []projections.Projection, logger *slog.Logger) (int, error) {
	return projections.ReplayAll(ctx, events, search, ps, projections.ReplayOptions{Batch: ReplayBatch, Workers: ReplayWorkers, Logger: logger})
}

// Compact merges every projection's index into its most compact form
// (projections.CompactAll).
func Compact(ctx context.Context, search projections.SearchStore, ps []projections.Projection) error {
	return projections.CompactAll(ctx, search, ps)
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

// Converged reports whether the read models of the stopped program in the
// data directory dir (embedded store and index) hold exactly what a replay
// of its event store into a fresh index (in scratch) gives.
func Converged(ctx context.Context, dir, scratch string) error {
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		return err
	}
	defer s.Close()
	live, err := blevestore.Open(filepath.Join(dir, "index"))
	if err != nil {
		return err
	}
	defer live.Close()
	fresh, err := blevestore.Open(scratch)
	if err != nil {
		return err
	}
	defer fresh.Close()
	cfg := app.Config{DataDir: dir}
	if err := cfg.Validate(); err != nil {
		return err
	}
	keys, err := app.OpenKeys(ctx, cfg)
	if err != nil {
		return err
	}
	ps := app.Projections(keys)
	if _, err := Replay(ctx, s, fresh, ps, nil); err != nil {
		return fmt.Errorf("replaying into a fresh index: %w", err)
	}
	if err := Compare(ctx, live, fresh, ps); err != nil {
		return fmt.Errorf("the read models differ from a fresh replay:\n%w", err)
	}
	return nil
}
