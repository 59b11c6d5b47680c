package esdb_test

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// memStore is a minimal in-memory eventstore.Store used as the protocol
// server's backend while the embedded store cannot be used.
type memStore struct {
	mu      sync.Mutex
	log     []event.Recorded // position i+1 at index i
	streams map[string][]int
	wake    chan struct{} // closed and replaced on every append
	closed  chan struct{}
	once    sync.Once
}

func newMemStore() *memStore {
	return &memStore{streams: map[string][]int{}, wake: make(chan struct{}), closed: make(chan struct{})}
}

func (m *memStore) Append(ctx context.Context, stream string, exp event.ExpectedRevision, events ...event.Event) (event.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	idx := m.streams[stream]
	cur, exists := uint64(len(idx))-1, len(idx) > 0
	if !exp.Check(cur, exists) {
		return event.AppendResult{}, &event.ConflictError{Stream: stream, Expected: exp, Actual: cur * boolU(exists), Exists: exists}
	}
	now := time.Now().UTC()
	for _, e := range events {
		r := event.Recorded{Event: e, Stream: stream, Revision: uint64(len(m.streams[stream])), Position: event.Position(len(m.log) + 1), RecordedAt: now}
		m.streams[stream] = append(m.streams[stream], len(m.log))
		m.log = append(m.log, r)
	}
	close(m.wake)
	m.wake = make(chan struct{})
	last := m.log[len(m.log)-1]
	return event.AppendResult{NextRevision: last.Revision, Position: last.Position}, nil
}

func boolU(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (m *memStore) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	idx := m.streams[stream]
	if len(idx) == 0 {
		return nil, event.ErrStreamNotFound
	}
	var out []event.Recorded
	if dir == event.Forward {
		for i := from; i < uint64(len(idx)) && len(out) < max; i++ {
			out = append(out, m.log[idx[i]])
		}
		return out, nil
	}
	start := min(from, uint64(len(idx)-1))
	for i := int64(start); i >= 0 && len(out) < max; i-- {
		out = append(out, m.log[idx[i]])
	}
	return out, nil
}

func (m *memStore) ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []event.Recorded
	if dir == event.Forward {
		for i := max64(int64(from)-1, 0); i < int64(len(m.log)) && len(out) < max; i++ {
			out = append(out, m.log[i])
		}
		return out, nil
	}
	start := int64(len(m.log)) - 1
	if from != event.End && int64(from)-1 < start {
		start = int64(from) - 1
	}
	for i := start; i >= 0 && len(out) < max; i-- {
		out = append(out, m.log[i])
	}
	return out, nil
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func (m *memStore) SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error) {
	return &memSub{m: m, next: after + 1, ctx: ctx, done: make(chan struct{})}, nil
}

func (m *memStore) Close() error {
	m.once.Do(func() { close(m.closed) })
	return nil
}

type memSub struct {
	m    *memStore
	next event.Position
	ctx  context.Context
	done chan struct{}
	once sync.Once
}

func (s *memSub) Next(ctx context.Context) (event.Recorded, error) {
	for {
		s.m.mu.Lock()
		if int(s.next) <= len(s.m.log) {
			r := s.m.log[s.next-1]
			s.next++
			s.m.mu.Unlock()
			return r, nil
		}
		wake := s.m.wake
		s.m.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return event.Recorded{}, ctx.Err()
		case <-s.ctx.Done():
			return event.Recorded{}, s.ctx.Err()
		case <-s.done:
			return event.Recorded{}, errors.New("memstore: subscription closed")
		case <-s.m.closed:
			return event.Recorded{}, errors.New("memstore: closed")
		}
	}
}

func (s *memSub) Close() error {
	s.once.Do(func() { close(s.done) })
	return nil
}
