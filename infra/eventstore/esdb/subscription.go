package esdb

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// ErrSubscriptionClosed is returned by Next after Close.
var ErrSubscriptionClosed = errors.New("esdb: subscription closed")

// subscription pumps a server-side catch-up subscription into a channel so
// that Next can honour its context, and resubscribes after a drop from the
// last event it handed over.
type subscription struct {
	store  *Store
	events chan event.Recorded
	cancel context.CancelFunc
	done   chan struct{}
	closed atomic.Bool
	// err says why events was closed; written before the close.
	err error
	// last is the full $all position of the last event handed over; only
	// the pump touches it.
	last *esclient.Position
}

// SubscribeAll implements eventstore.Store. The subscription lives until
// ctx ends, Close is called or the store is closed; a dropped connection is
// retried with exponential back-off, resuming after the last delivered
// event.
func (s *Store) SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	s.subs.Add(1)
	s.mu.Unlock()

	pumpCtx, cancel := context.WithCancel(ctx)
	sub := &subscription{
		store:  s,
		events: make(chan event.Recorded, 64),
		cancel: cancel,
		done:   make(chan struct{}),
	}
	if after > 0 {
		sub.last = &esclient.Position{Commit: uint64(after), Prepare: uint64(after)}
	}
	first, err := sub.open(pumpCtx)
	if err != nil {
		cancel()
		s.subs.Done()
		return nil, fmt.Errorf("esdb: subscribe to $all after %d: %w", after, err)
	}
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-pumpCtx.Done():
		}
	}()
	go sub.run(pumpCtx, first)
	return sub, nil
}

// open subscribes after the last delivered event, filtering out system
// events on the server.
func (sub *subscription) open(ctx context.Context) (*esclient.Subscription, error) {
	opts := esclient.SubscribeToAllOptions{
		From:   esclient.Start{},
		Filter: esclient.ExcludeSystemEventsFilter(),
	}
	if sub.last != nil {
		opts.From = *sub.last
	}
	return call(sub.store, func(c *esclient.Client) (*esclient.Subscription, error) {
		return c.SubscribeToAll(ctx, opts)
	})
}

// errPermanent marks failures a resubscription cannot cure.
type errPermanent struct{ error }

func (sub *subscription) run(ctx context.Context, cur *esclient.Subscription) {
	defer sub.store.subs.Done()
	defer close(sub.done)
	// Also ends the goroutine that watches for the store closing.
	defer sub.cancel()
	log := sub.store.cfg.logger
	backoff := sub.store.cfg.minBackoff
	for {
		err := sub.drain(ctx, cur, &backoff)
		_ = cur.Close()
		if ctx.Err() != nil {
			sub.finish(ctx.Err())
			return
		}
		var perm errPermanent
		if errors.As(err, &perm) {
			sub.finish(perm.error)
			return
		}
		log.Warn("esdb: subscription to $all dropped; resubscribing", "err", err, "after", sub.lastCommit())
		for {
			select {
			case <-ctx.Done():
				sub.finish(ctx.Err())
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, sub.store.cfg.maxBackoff)
			cur, err = sub.open(ctx)
			if err == nil {
				break
			}
			if errors.Is(err, ErrClosed) {
				sub.finish(ErrSubscriptionClosed)
				return
			}
			log.Warn("esdb: resubscribing to $all failed", "err", err, "retry_in", backoff)
		}
	}
}

// drain hands events over until the subscription drops.
func (sub *subscription) drain(ctx context.Context, cur *esclient.Subscription, backoff *time.Duration) error {
	for {
		ev := cur.Recv()
		switch {
		case ev.SubscriptionDropped != nil:
			return ev.SubscriptionDropped.Error
		case ev.EventAppeared != nil:
			// The server answers again: the next drop starts the back-off anew.
			*backoff = sub.store.cfg.minBackoff
			r := ev.EventAppeared.OriginalEvent()
			// Resuming may repeat the last event; a filter may let a
			// system event through on an old server.
			if sub.last != nil && !posLess(*sub.last, r.Position) || isSystem(r) {
				continue
			}
			rec, err := fromRecorded(r)
			if err != nil {
				return errPermanent{err}
			}
			select {
			case sub.events <- rec:
			case <-ctx.Done():
				return ctx.Err()
			}
			p := r.Position
			sub.last = &p
		case ev.CheckPointReached != nil, ev.CaughtUp != nil, ev.FellBehind != nil:
			*backoff = sub.store.cfg.minBackoff
			// Checkpoints are not used to resume: their position may be the
			// next event's, and resuming is exclusive.
		}
	}
}

func (sub *subscription) lastCommit() uint64 {
	if sub.last == nil {
		return 0
	}
	return sub.last.Commit
}

func (sub *subscription) finish(err error) {
	if sub.closed.Load() {
		err = ErrSubscriptionClosed
	} else if errors.Is(err, context.Canceled) {
		select {
		case <-sub.store.done:
			err = ErrClosed
		default:
		}
	}
	sub.err = err
	close(sub.events)
}

// Next implements eventstore.Subscription.
func (sub *subscription) Next(ctx context.Context) (event.Recorded, error) {
	select {
	case rec, ok := <-sub.events:
		if !ok {
			return event.Recorded{}, sub.err
		}
		return rec, nil
	case <-ctx.Done():
		return event.Recorded{}, ctx.Err()
	}
}

// Close implements eventstore.Subscription.
func (sub *subscription) Close() error {
	sub.closed.Store(true)
	sub.cancel()
	<-sub.done
	return nil
}
