// Package migrate copies a whole event log from one store to another (the
// embedded store, EventStoreDB, either way): every event with its id,
// type, data, metadata and stream revision, in $all order. It resumes
// where an interrupted copy stopped, and ends by proving the two logs
// equal: the same RFC 9162 tree head over the same events (the canonical
// bytes of infra/audit leave out what each store stamps for itself, the
// position and the recorded time).
package migrate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/audit/merkle"
	"github.com/butler-pm/butler/infra/eventstore"
)

// Store is what a migration reads from and writes to.
type Store interface {
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
	Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error)
}

// Progress is where a migration stands.
type Progress struct {
	// Read counts the source's events read; Copied those appended to the
	// target in this run; Kept those the target already had.
	Read, Copied, Kept uint64
	Elapsed            time.Duration
}

// Report is the outcome of a migration.
type Report struct {
	Events, Copied, Kept uint64
	// SourceHead and TargetHead are the tree heads of the two logs, each
	// computed from its own store's events after the copy.
	SourceHead, TargetHead string
	Elapsed                time.Duration
}

// ErrDiverged is returned when the target holds events that are not the
// source's: it is not a copy, or a partial copy, of this log.
var ErrDiverged = errors.New("migrate: the target is not a copy of the source")

// page is how many events one read brings.
const page = 4096

// Run copies src into dst. A target that already holds the source's first
// events (an interrupted migration) is continued after them.
func Run(ctx context.Context, src, dst Store, progress func(Progress)) (Report, error) {
	start := time.Now()
	var rep Report
	target, err := readTree(ctx, dst)
	if err != nil {
		return rep, fmt.Errorf("migrate: reading the target: %w", err)
	}
	rep.Kept = target.Size()
	ordered, _ := dst.(eventstore.OrderedAppender)
	var source merkle.Tree
	var from event.Position
	tick := time.Now()
	for {
		events, err := src.ReadAll(ctx, from, event.Forward, page)
		if err != nil {
			return rep, fmt.Errorf("migrate: reading the source after position %d: %w", from, err)
		}
		var toCopy []event.Recorded
		for _, e := range events {
			i := source.Size()
			leaf := audit.LeafOf(e)
			source.Append(leaf)
			if i < target.Size() {
				if target.Leaf(i) != leaf {
					return rep, fmt.Errorf("%w: event %d of the source (%s, stream %s revision %d) is not the target's", ErrDiverged, i, e.ID, e.Stream, e.Revision)
				}
				continue
			}
			toCopy = append(toCopy, e)
		}
		if err := appendInOrder(ctx, dst, ordered, toCopy); err != nil {
			return rep, err
		}
		rep.Copied += uint64(len(toCopy))
		if len(events) > 0 {
			from = events[len(events)-1].Position
		}
		if progress != nil && (time.Since(tick) >= time.Second || len(events) < page) {
			tick = time.Now()
			progress(Progress{Read: source.Size(), Copied: rep.Copied, Kept: rep.Kept, Elapsed: time.Since(start)})
		}
		if len(events) < page {
			break
		}
	}
	if source.Size() < target.Size() {
		return rep, fmt.Errorf("%w: the target holds %d events, the source only %d", ErrDiverged, target.Size(), source.Size())
	}
	rep.Events = source.Size()
	sh, _ := source.Root(source.Size())
	rep.SourceHead = fmt.Sprintf("%x", sh[:])
	// The target is read again, on its own, for the proof.
	after, err := readTree(ctx, dst)
	if err != nil {
		return rep, fmt.Errorf("migrate: reading the target back: %w", err)
	}
	th, _ := after.Root(after.Size())
	rep.TargetHead = fmt.Sprintf("%x", th[:])
	rep.Elapsed = time.Since(start)
	if after.Size() != source.Size() || th != sh {
		return rep, fmt.Errorf("%w: after the copy the target has %d events with tree head %s, the source %d with %s",
			ErrDiverged, after.Size(), rep.TargetHead, source.Size(), rep.SourceHead)
	}
	return rep, nil
}

// appendInOrder appends events in their order, one part per run of
// consecutive events of one stream, each expecting the revision before it.
func appendInOrder(ctx context.Context, dst Store, ordered eventstore.OrderedAppender, events []event.Recorded) error {
	var parts []eventstore.StreamAppend
	var firstRev []uint64
	for _, e := range events {
		n := len(parts)
		if n > 0 && parts[n-1].Stream == e.Stream && firstRev[n-1]+uint64(len(parts[n-1].Events)) == e.Revision {
			parts[n-1].Events = append(parts[n-1].Events, e.Event)
			continue
		}
		expected := event.NoStream()
		if e.Revision > 0 {
			expected = event.Exact(e.Revision - 1)
		}
		parts = append(parts, eventstore.StreamAppend{Stream: e.Stream, Expected: expected, Events: []event.Event{e.Event}})
		firstRev = append(firstRev, e.Revision)
	}
	if len(parts) == 0 {
		return nil
	}
	if ordered != nil {
		if _, err := ordered.AppendOrdered(ctx, parts); err != nil {
			return fmt.Errorf("migrate: appending: %w", err)
		}
		return nil
	}
	for _, p := range parts {
		if _, err := dst.Append(ctx, p.Stream, p.Expected, p.Events...); err != nil {
			return fmt.Errorf("migrate: appending to %s: %w", p.Stream, err)
		}
	}
	return nil
}

// readTree reads a whole log into its tree.
func readTree(ctx context.Context, s Store) (*merkle.Tree, error) {
	var t merkle.Tree
	err := event.ScanAll(ctx, s, 0, page, func(events []event.Recorded) error {
		for _, e := range events {
			t.Append(audit.LeafOf(e))
		}
		return nil
	})
	return &t, err
}
