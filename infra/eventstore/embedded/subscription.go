package embedded

import (
	"context"
	"fmt"
	"sync"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// SubscribeAll implements eventstore.Store. The subscription reads stored
// events in pages up to the acknowledged head, then waits for the head to
// move; because it always resumes from its own last position and positions
// are dense, the switch from stored to live events has no gap or duplicate.
func (s *Store) SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.closeMu.RLock()
	closed := s.closed
	s.closeMu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	return &subscription{s: s, ctx: ctx, last: after, closed: make(chan struct{})}, nil
}

type subscription struct {
	s    *Store
	ctx  context.Context
	last event.Position
	buf  []event.Recorded

	closeOnce sync.Once
	closed    chan struct{}
}

// Next implements eventstore.Subscription. It is not safe for concurrent
// use by several goroutines (a subscription is one ordered consumer).
func (sub *subscription) Next(ctx context.Context) (event.Recorded, error) {
	for {
		if len(sub.buf) > 0 {
			r := sub.buf[0]
			sub.buf = sub.buf[1:]
			sub.last = r.Position
			return r, nil
		}
		if err := sub.ended(ctx); err != nil {
			return event.Recorded{}, err
		}
		moved, head := sub.s.watch()
		if head > sub.last {
			recs, err := sub.s.readAll(sub.last, event.Forward, subscriptionPage, head)
			if err != nil {
				return event.Recorded{}, err
			}
			for i, r := range recs {
				// Positions are dense; anything else would be a lost event.
				if r.Position != sub.last+event.Position(i)+1 {
					return event.Recorded{}, fmt.Errorf("%w: $all has a gap after position %d", ErrStorage, sub.last+event.Position(i))
				}
			}
			if len(recs) == 0 {
				return event.Recorded{}, fmt.Errorf("%w: $all ends before acknowledged head %d", ErrStorage, head)
			}
			sub.buf = recs
			continue
		}
		select {
		case <-moved:
		case <-ctx.Done():
		case <-sub.ctx.Done():
		case <-sub.closed:
		case <-sub.s.done:
		}
	}
}

func (sub *subscription) ended(ctx context.Context) error {
	select {
	case <-sub.closed:
		return ErrSubscriptionClosed
	case <-sub.s.done:
		return ErrClosed
	default:
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return sub.ctx.Err()
}

// Close implements eventstore.Subscription; a blocked Next returns
// ErrSubscriptionClosed.
func (sub *subscription) Close() error {
	sub.closeOnce.Do(func() { close(sub.closed) })
	return nil
}
