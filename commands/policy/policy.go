// Package policy runs the time rules (process managers): every tick each
// rule looks in a read model for the records whose deadline has passed and
// asks the domain, through a system-actor command, to record what the rule
// says. The domain checks again, so a stale read model can never record a
// wrong event, and each event is recorded once.
//
// A rule is data (see Rules): its name with its rule id, the read model
// it searches, the query (built from the read model's field constants)
// and the command it records. The few rules that are not one query (a
// project's ended days or weeks, the archive a loan form goes to, the
// return visits due, which leave out records whose due is open) are a
// small function in the same list.
package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// Searcher is what the rules need of the read models.
type Searcher interface {
	Search(ctx context.Context, index string, q projections.Query) (projections.Result, error)
}

// Rule is one time rule. Either Index, Query and Record, or Run.
type Rule struct {
	// Name says what the rule is, with its id in the docs ("R-W3 …").
	Name string
	// Index is the read model searched; Query finds the records due at now.
	Index string
	Query func(now time.Time) projections.Query
	// Record runs the rule's command on one match; it reports whether an
	// event was recorded (false: the domain found nothing due after all).
	Record func(ctx context.Context, id string) (bool, error)
	// Run is a rule that is not one query; it returns how many events it
	// recorded.
	Run func(ctx context.Context, reads Searcher, now time.Time) (int, error)
}

// run runs the rule once. One record's failure does not hold up the
// others: its error is kept and the rule goes on; a failed search ends it.
func (r Rule) run(ctx context.Context, reads Searcher, now time.Time) (int, error) {
	if r.Run != nil {
		return r.Run(ctx, reads, now)
	}
	return each(ctx, reads, r.Index, r.Query(now), r.Record)
}

// Runner runs every rule on a ticker.
type Runner struct {
	reads  Searcher
	clock  commands.Clock
	logger *slog.Logger
	rules  []Rule
}

// New builds the runner of rules (usually Rules(handlers)).
func New(reads Searcher, clock commands.Clock, logger *slog.Logger, rules []Rule) *Runner {
	return &Runner{reads: reads, clock: clock, logger: logger, rules: rules}
}

// Run ticks every interval until ctx ends, logging a tick's failures.
func (r *Runner) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := r.Tick(ctx); err != nil && ctx.Err() == nil {
				r.logger.Error("time policies failed", "err", err)
			}
		}
	}
}

// Tick runs every rule once and returns how many events were recorded,
// with every rule's failure joined (one rule's failure does not stop the
// others).
func (r *Runner) Tick(ctx context.Context) (int, error) {
	now := r.clock.Now()
	var errs []error
	n := 0
	for _, rule := range r.rules {
		k, err := rule.run(ctx, r.reads, now)
		n += k
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rule.Name, err))
		}
	}
	return n, errors.Join(errs...)
}

// pageSize is how many matches one search returns.
const pageSize = 500

// each pages through every match and records the rule's event for it.
func each(ctx context.Context, reads Searcher, index string, q projections.Query,
	record recorder) (int, error) {
	return recordPages(ctx, reads, index, q, func(hits []projections.Document) ([]string, recorder, error) {
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		return ids, record, nil
	})
}

// recorder records a rule's event on one record (or day, or week); it
// reports whether an event was recorded.
type recorder = func(ctx context.Context, id string) (bool, error)

// recordPages pages through q's matches; for each page, due says which
// records to record on and how. A failed page ends the rule; a failed
// record does not.
func recordPages(ctx context.Context, reads Searcher, index string, q projections.Query,
	due func(hits []projections.Document) ([]string, recorder, error)) (int, error) {
	n := 0
	var failed []error
	err := pages(ctx, reads, index, q, func(hits []projections.Document) error {
		ids, record, err := due(hits)
		if err != nil {
			return err
		}
		k, err := recordAll(ctx, ids, record)
		n += k
		failed = append(failed, err)
		return nil
	})
	return n, errors.Join(append(failed, err)...)
}

// recordAll runs record on every id and counts the events recorded; one
// id's failure does not hold up the others.
func recordAll(ctx context.Context, ids []string, record recorder) (int, error) {
	n := 0
	var failed []error
	for _, id := range ids {
		ok, err := record(ctx, id)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", id, err))
			continue
		}
		if ok {
			n++
		}
	}
	return n, errors.Join(failed...)
}

// pages runs q page after page (by id unless q sorts) and hands each page
// of hits to fn.
func pages(ctx context.Context, reads Searcher, index string, q projections.Query, fn func([]projections.Document) error) error {
	if q.Size == 0 {
		q.Size = pageSize
	}
	if q.Sort == nil {
		q.Sort = []projections.Sort{{Field: projections.FieldID}}
	}
	for {
		res, err := reads.Search(ctx, index, q)
		if err != nil {
			return err
		}
		if err := fn(res.Hits); err != nil {
			return err
		}
		if len(res.Hits) < q.Size {
			return nil
		}
		q.After = res.Cursor
	}
}

// decode reads a read-model document into its type.
func decode[T any](d projections.Document) (T, error) {
	var v T
	err := json.Unmarshal(d.Source, &v)
	return v, err
}

// first returns the first match of q in index (ok false: none).
func first[T any](ctx context.Context, reads Searcher, index string, q projections.Query) (doc T, ok bool, err error) {
	q.Size = 1
	res, err := reads.Search(ctx, index, q)
	if err != nil || len(res.Hits) == 0 {
		return doc, false, err
	}
	doc, err = decode[T](res.Hits[0])
	return doc, err == nil, err
}
