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
	// there is nothing to start. Nil: the stream must exist. cause is the
	// event of another record that made the new one due (a required return
	// visit's completed repair); zero when only the clock did (a day or a
	// week that ended).
	open func(now time.Time) (a A, cause eventRef, ok bool, err error)
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
//   - What it records is caused by the record's latest event, the state the
//     rule judged: the events carry its id as causation id and its
//     correlation id. A stream it opens is caused by what open names (none:
//     a new chain). A cause named in m (a rule that judged another record
//     first) comes before both.
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
	cause := h.last
	if !h.exists {
		if s.open == nil {
			return PolicyResult{}, notFound(s.name)
		}
		var ok bool
		if a, cause, ok, err = s.open(now); err != nil || !ok {
			return unchanged, domainError(err, s.codes)
		}
		expected = event.NoStream()
	}
	if m.CausationID == "" && cause.id != "" {
		m = m.causedBy(cause)
	}
	recorded, err := decide(a, now)
	if err != nil {
		return PolicyResult{}, domainError(err, s.codes)
	}
	if !recorded {
		return unchanged, nil
	}
	rev, err := d.appendChanges(ctx, s.name, expected, event.System, a.Project(), a.District(), m.chain(), now, a.Changes())
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
// It returns the stream's latest event too, the cause of what the rule
// records.
func loadAsSystem[A aggregateState](ctx context.Context, d handlerDeps, s systemStream[A]) (A, uint64, eventRef, error) {
	a, h, err := s.load(ctx, d)
	if err == nil && !h.exists {
		err = notFound(s.name)
	}
	return a, h.revision, h.last, err
}

func notFound(stream string) *apperr.Error {
	return apperr.Errorf(apperr.NotFound, "not_found", "%s does not exist", stream)
}

// opened is an open step that always starts the aggregate it was given,
// due because time passed: no event caused it.
func opened[A any](a A, err error) (A, eventRef, bool, error) { return a, eventRef{}, err == nil, err }
