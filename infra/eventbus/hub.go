package eventbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// HubSource is what the hub needs from the event store: one live
// subscription, and reads of $all for subscribers that are behind.
type HubSource interface {
	Source
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
}

// Hub reads $all once and serves every projection's subscription: the
// recent events are kept decoded in memory, so a projection that keeps up
// reads them from there, and one that is behind (after a restart, a
// rebuild, a slow batch) reads pages from the store until it reaches them.
// Without it each projection would hold its own store subscription and
// decode every event again.
type Hub struct {
	src    HubSource
	logger *slog.Logger
	size   int

	mu   sync.Mutex
	cond *sync.Cond
	// recent holds the newest events, in order; every event after base is
	// in it (base is the position before the oldest one kept).
	recent []event.Recorded
	base   event.Position
	err    error
	closed bool
}

// NewHub starts reading $all from its current end; size is how many recent
// events are kept in memory (default 8,192: a few seconds of a busy
// compound, a few MiB; projections further behind read from the store).
func NewHub(ctx context.Context, src HubSource, size int, logger *slog.Logger) (*Hub, error) {
	if size <= 0 {
		size = 1 << 13
	}
	if logger == nil {
		logger = slog.Default()
	}
	head, err := src.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		return nil, fmt.Errorf("eventbus: reading the head of $all: %w", err)
	}
	h := &Hub{src: src, logger: logger, size: size}
	h.cond = sync.NewCond(&h.mu)
	if len(head) > 0 {
		h.base = head[0].Position
	}
	go h.run(ctx)
	return h, nil
}

// run follows $all live, resubscribing after errors from the last event kept.
func (h *Hub) run(ctx context.Context) {
	defer func() {
		h.mu.Lock()
		h.closed = true
		h.cond.Broadcast()
		h.mu.Unlock()
	}()
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		h.mu.Lock()
		after := h.base
		if n := len(h.recent); n > 0 {
			after = h.recent[n-1].Position
		}
		h.mu.Unlock()
		err := h.follow(ctx, after)
		if ctx.Err() != nil {
			return
		}
		h.logger.Warn("event hub subscription failed; resubscribing", "err", err, "backoff", backoff)
		if !sleep(ctx, backoff) {
			return
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (h *Hub) follow(ctx context.Context, after event.Position) error {
	sub, err := h.src.SubscribeAll(ctx, after)
	if err != nil {
		return err
	}
	defer sub.Close()
	for {
		e, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		h.mu.Lock()
		h.recent = append(h.recent, e)
		if len(h.recent) > h.size {
			// Drop the oldest half at once: amortised, and the slice is
			// copied so the old backing array can be freed.
			drop := len(h.recent) / 2
			h.base = h.recent[drop-1].Position
			h.recent = append([]event.Recorded(nil), h.recent[drop:]...)
		}
		h.cond.Broadcast()
		h.mu.Unlock()
	}
}

// SubscribeAll delivers every event after the position given, from the
// store while behind and from memory once caught up.
func (h *Hub) SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error) {
	s := &hubSub{hub: h, after: after, done: make(chan struct{})}
	// Wake waiters when the subscriber's context ends or it is closed.
	stop := context.AfterFunc(ctx, s.wake)
	s.stop = stop
	return s, nil
}

type hubSub struct {
	hub   *Hub
	after event.Position
	page  []event.Recorded
	done  chan struct{}
	once  sync.Once
	stop  func() bool
}

// ErrHubClosed is returned by a subscription of a hub that stopped (the
// program is shutting down): it is final, resubscribing cannot help.
var ErrHubClosed = errors.New("eventbus: hub stopped")

func (s *hubSub) wake() {
	s.hub.mu.Lock()
	s.hub.cond.Broadcast()
	s.hub.mu.Unlock()
}

func (s *hubSub) Close() error {
	s.once.Do(func() {
		close(s.done)
		s.stop()
		s.wake()
	})
	return nil
}

func (s *hubSub) Next(ctx context.Context) (event.Recorded, error) {
	if err := s.fill(ctx, hubPage); err != nil {
		return event.Recorded{}, err
	}
	e := s.page[0]
	s.page = s.page[1:]
	s.after = e.Position
	return e, nil
}

// NextBatch returns up to max events in order, waiting for at least one:
// a subscriber takes what is available at once instead of one event at a
// time through a goroutine of its own.
func (s *hubSub) NextBatch(ctx context.Context, max int) ([]event.Recorded, error) {
	if err := s.fill(ctx, max); err != nil {
		return nil, err
	}
	n := min(len(s.page), max)
	batch := s.page[:n:n] // capped: appending to it must not touch the page
	s.page = s.page[n:]
	s.after = batch[n-1].Position
	return batch, nil
}

// hubPage is how many events Next takes at a time.
const hubPage = 512

// fill makes s.page non-empty, from the store while behind and from
// memory once caught up, waiting for new events if there are none. It
// takes up to size events: NextBatch asks for its batch size, so a batch
// is one page (pages of another size than the batches would leave a small
// remainder batch after every page, each an index write of its own).
func (s *hubSub) fill(ctx context.Context, size int) error {
	for len(s.page) == 0 {
		select {
		case <-s.done:
			return ErrSubscriptionClosed
		default:
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		h := s.hub
		h.mu.Lock()
		if s.after < h.base {
			// Behind what memory holds: read a page from the store.
			h.mu.Unlock()
			page, err := h.src.ReadAll(ctx, s.after, event.Forward, size)
			if err != nil {
				return err
			}
			// Never hand out what memory does not hold yet: the store may
			// be ahead of the hub only by events the hub will deliver.
			s.page = page
			if len(page) == 0 {
				h.mu.Lock()
				if s.after < h.base {
					// The store has nothing after us but memory starts later:
					// only possible if positions are sparse; jump to memory.
					s.after = h.base
				}
				h.mu.Unlock()
			}
			continue
		}
		// In memory: everything after h.base is in recent, in order.
		i := sort.Search(len(h.recent), func(i int) bool { return h.recent[i].Position > s.after })
		if i < len(h.recent) {
			n := min(len(h.recent)-i, size)
			s.page = append(s.page[:0:0], h.recent[i:i+n]...)
			h.mu.Unlock()
			continue
		}
		if h.closed {
			h.mu.Unlock()
			return ErrHubClosed
		}
		h.cond.Wait()
		h.mu.Unlock()
	}
	return nil
}

// ErrSubscriptionClosed is returned by Next after Close.
var ErrSubscriptionClosed = errors.New("eventbus: subscription closed")
