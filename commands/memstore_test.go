package commands_test

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/personal"
)

// memStore is a small in-memory commands.EventStore for handler tests.
// beforeAppend, when set, runs before each append's check, outside the
// lock, so a test can slip a racing append in.
type memStore struct {
	mu           sync.Mutex
	streams      map[string][]event.Recorded
	pos          event.Position
	beforeAppend func(stream string)
}

func newMemStore() *memStore { return &memStore{streams: map[string][]event.Recorded{}} }

func (s *memStore) Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error) {
	if hook := s.hook(); hook != nil {
		hook(stream)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.streams[stream]
	current := uint64(len(recs)) - 1
	if !expected.Check(current, len(recs) > 0) {
		return event.AppendResult{}, &event.ConflictError{Stream: stream, Expected: expected, Actual: current, Exists: len(recs) > 0}
	}
	for _, e := range events {
		s.pos++
		recs = append(recs, event.Recorded{Event: e, Stream: stream, Revision: uint64(len(recs)), Position: s.pos, RecordedAt: time.Now()})
	}
	s.streams[stream] = recs
	return event.AppendResult{NextRevision: uint64(len(recs)) - 1, Position: s.pos}, nil
}

func (s *memStore) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.streams[stream]
	if len(recs) == 0 {
		return nil, event.ErrStreamNotFound
	}
	if dir != event.Forward {
		return nil, errors.New("memStore reads forward only")
	}
	var out []event.Recorded
	for i := from; i < uint64(len(recs)) && len(out) < max; i++ {
		out = append(out, recs[i])
	}
	return out, nil
}

func (s *memStore) hook() func(string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.beforeAppend
}

func (s *memStore) stream(name string) []event.Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]event.Recorded(nil), s.streams[name]...)
}

// clock is a commands.Clock that tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func asAppErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

// testKeys is a key store in memory for sealing households' contacts.
func testKeys() *personal.Sealer { return personal.NewMemorySealer() }
