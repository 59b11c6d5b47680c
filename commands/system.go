package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
)

// systemStream is the stream a time rule acts on, and how to read it.
type systemStream[A aggregateState] struct {
	id, name string
	decode   func(string, []byte) (event.Payload, error)
	rebuild  func([]event.Payload) (A, error)
	codes    map[error]string
	// open starts the aggregate when its stream does not exist yet (a
	// project's day or week, a required return visit); ok false means
	// there is nothing to start. Nil: the stream must exist.
	open func(now time.Time) (a A, ok bool, err error)
}

// recordAsSystem is the path of every time rule's command, beside update:
// load, let the domain decide, append at the loaded revision with actor
// event.System. There is no principal and no If-Match: the rule is the
// authority, and the domain checks again, so a stale read model that
// names a record can never record a wrong event, nor one twice.
//
//   - A missing stream (and no open) is an error of kind not found: the
//     caller named a record that does not exist. The policy loop reports it
//     and goes on with the next record.
//   - A lost race (the stream moved between load and append) records
//     nothing now and is not an error: Recorded is false, and the next tick
//     loads the new revision and decides again.
//
// Any other failure (store unavailable or full, a refused rule) is
// returned as update returns it.
func recordAsSystem[A aggregateState](ctx context.Context, d handlerDeps, m Meta, s systemStream[A],
	decide func(a A, now time.Time) (bool, error)) (PolicyResult, error) {
	a, h, err := s.load(ctx, d)
	if err != nil {
		return PolicyResult{}, err
	}
	now := d.clock.Now()
	unchanged := PolicyResult{Result: Result{ID: s.id, Revision: h.revision}}
	expected := event.Exact(h.revision)
	if !h.exists {
		if s.open == nil {
			return PolicyResult{}, notFound(s.name)
		}
		var ok bool
		if a, ok, err = s.open(now); err != nil || !ok {
			return unchanged, domainError(err, s.codes)
		}
		expected = event.NoStream()
	}
	recorded, err := decide(a, now)
	if err != nil {
		return PolicyResult{}, domainError(err, s.codes)
	}
	if !recorded {
		return unchanged, nil
	}
	rev, err := d.appendChanges(ctx, s.name, expected, event.System, a.Project(), a.District(), m.CorrelationID, now, a.Changes())
	if apperr.KindOf(err) == apperr.Conflict {
		return unchanged, nil
	}
	if err != nil {
		return PolicyResult{}, err
	}
	return PolicyResult{Result: Result{ID: s.id, Revision: rev}, Recorded: true}, nil
}

// load reads and rebuilds the stream's aggregate; h.exists is false (and
// no error) when the stream does not exist.
func (s systemStream[A]) load(ctx context.Context, d handlerDeps) (a A, h streamHistory, err error) {
	if h, err = d.readHistory(ctx, s.name, s.decode); err != nil || !h.exists {
		return a, h, err
	}
	if a, err = s.rebuild(h.payloads); err != nil {
		return a, h, fmt.Errorf("rebuild %s: %w", s.name, err)
	}
	return a, h, nil
}

// loadAsSystem is the load step alone, for a rule that reads one stream
// before it records on another; a missing stream is not found, as above.
func loadAsSystem[A aggregateState](ctx context.Context, d handlerDeps, s systemStream[A]) (A, uint64, error) {
	a, h, err := s.load(ctx, d)
	if err == nil && !h.exists {
		err = notFound(s.name)
	}
	return a, h.revision, err
}

func notFound(stream string) *apperr.Error {
	return apperr.Errorf(apperr.NotFound, "not_found", "%s does not exist", stream)
}

// opened is an open step that always starts the aggregate it was given.
func opened[A any](a A, err error) (A, bool, error) { return a, err == nil, err }
