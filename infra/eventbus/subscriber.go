// Package eventbus carries events from the event store's $all log to the
// projections through Watermill: a message.Subscriber over a catch-up
// subscription. Each Watermill message holds a batch of consecutive events;
// the next batch is sent only after the previous one is acked, so a
// projection sees $all in order, one batch at a time, and a nacked batch is
// redelivered as it was.
//
// Every projection has its own Subscriber, started from that projection's
// durable checkpoint: acking a batch means its read-model writes and the
// checkpoint covering them are durable.
package eventbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// Source is what the subscriber needs from an event store.
type Source interface {
	SubscribeAll(ctx context.Context, after event.Position) (eventstore.Subscription, error)
}

// StartFunc returns the position after which delivery starts: a
// projection's durable checkpoint. It is called again after every
// reconnect that follows an error, so delivery resumes exactly after the
// last acked batch.
type StartFunc func(ctx context.Context) (event.Position, error)

// Metadata keys set on every message.
const (
	MetaFirstPosition = "first_position"
	MetaLastPosition  = "last_position"
	MetaCount         = "count"
)

// Options tune a Subscriber.
type Options struct {
	// MaxBatch is the most events in one message (default 500). A batch
	// never waits for more events: it holds what is already available.
	MaxBatch int
	// RetryDelay is the pause before redelivering a nacked batch and the
	// first back-off after a failed subscription (default 100 ms; doubles to
	// at most 5 s).
	RetryDelay time.Duration
	// MinInterval, when set, spaces batches at least this far apart: a
	// batch that would follow the previous one sooner gathers the events
	// arriving until then (up to MaxBatch). Under load this turns many tiny
	// batches into fewer larger ones (each batch is one read-model write,
	// and every write of the embedded index is a segment to persist and
	// merge); an event arriving after a quiet spell is still sent at once,
	// so it adds at most MinInterval to the lag, and only under load.
	MinInterval time.Duration
	Logger      *slog.Logger
}

// Subscriber is a Watermill message.Subscriber over $all. The topic given
// to Subscribe is only a label: every subscription reads the whole log.
type Subscriber struct {
	source Source
	start  StartFunc
	opts   Options

	closing   chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// NewSubscriber builds a subscriber that starts after start's position.
func NewSubscriber(source Source, start StartFunc, opts Options) *Subscriber {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 500
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = 100 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Subscriber{source: source, start: start, opts: opts, closing: make(chan struct{})}
}

// Subscribe starts delivery; the channel closes when ctx ends or Close is called.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	select {
	case <-s.closing:
		return nil, errors.New("eventbus: subscriber is closed")
	default:
	}
	out := make(chan *message.Message)
	ctx, cancel := context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		defer cancel()
		go func() {
			select {
			case <-s.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
		s.run(ctx, topic, out)
	}()
	return out, nil
}

// Close ends every subscription and waits for their goroutines.
func (s *Subscriber) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	s.wg.Wait()
	return nil
}

// run delivers batches until ctx ends, resubscribing after errors.
func (s *Subscriber) run(ctx context.Context, topic string, out chan<- *message.Message) {
	backoff := s.opts.RetryDelay
	for ctx.Err() == nil {
		err := s.deliver(ctx, out)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, ErrHubClosed) {
			// The program is shutting down: nothing more will come, and
			// ending the subscription here would make the router report
			// its handler stopped; wait for the router to close instead.
			s.opts.Logger.Debug("event subscription ended: the hub stopped", "topic", topic)
			select {
			case <-ctx.Done():
			case <-s.closing:
			}
			return
		}
		s.opts.Logger.Warn("event subscription failed; resubscribing", "topic", topic, "err", err, "backoff", backoff)
		if !sleep(ctx, backoff) {
			return
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

type next struct {
	e   event.Recorded
	err error
}

// deliver runs one store subscription from the start position until it fails.
func (s *Subscriber) deliver(ctx context.Context, out chan<- *message.Message) error {
	after, err := s.start(ctx)
	if err != nil {
		return fmt.Errorf("reading start position: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub, err := s.source.SubscribeAll(ctx, after)
	if err != nil {
		return fmt.Errorf("subscribing to $all after %d: %w", after, err)
	}
	defer sub.Close()
	if bs, ok := sub.(batchSubscription); ok {
		return s.deliverBatches(ctx, bs, out)
	}

	// The pump reads ahead so a batch can take what is already available
	// without waiting.
	buf := make(chan next, s.opts.MaxBatch)
	go func() {
		defer close(buf)
		for {
			e, err := sub.Next(ctx)
			select {
			case buf <- next{e, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()

	var lastSent time.Time
	var gather *time.Timer
	defer func() {
		if gather != nil {
			gather.Stop()
		}
	}()
	for {
		var first next
		select {
		case first = <-buf:
		case <-ctx.Done():
			return ctx.Err()
		}
		if first.err != nil {
			return first.err
		}
		batch := []event.Recorded{first.e}
		var pending error
		// Gather until the interval since the last batch is over (at once
		// when it already is, or when MinInterval is zero).
		var until <-chan time.Time
		if wait := s.opts.MinInterval - time.Since(lastSent); wait > 0 {
			if gather == nil {
				gather = time.NewTimer(wait)
			} else {
				gather.Reset(wait)
			}
			until = gather.C
		}
	drain:
		for len(batch) < s.opts.MaxBatch {
			if until == nil {
				select {
				case n := <-buf:
					if n.err != nil {
						pending = n.err
						break drain
					}
					batch = append(batch, n.e)
				default:
					break drain
				}
				continue
			}
			select {
			case n := <-buf:
				if n.err != nil {
					pending = n.err
					break drain
				}
				batch = append(batch, n.e)
			case <-until:
				until = nil // the interval is over: take what is there, then send
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if until != nil {
			gather.Stop() // a full batch ended the wait (Go ≥ 1.23: no stale tick after Stop)
		}
		if err := s.send(ctx, out, batch); err != nil {
			return err
		}
		lastSent = time.Now()
		if pending != nil {
			return pending
		}
	}
}

// batchSubscription is a subscription that hands out what it has in one
// call (the Hub's): no read-ahead goroutine and no channel send per event.
type batchSubscription interface {
	// NextBatch returns up to max events, waiting for at least one.
	NextBatch(ctx context.Context, max int) ([]event.Recorded, error)
}

// deliverBatches is deliver over a batchSubscription: wait out the rest of
// MinInterval, then take everything available (up to MaxBatch), so the
// batches are the same as the read-ahead path would gather.
func (s *Subscriber) deliverBatches(ctx context.Context, sub batchSubscription, out chan<- *message.Message) error {
	var lastSent time.Time
	for {
		if wait := s.opts.MinInterval - time.Since(lastSent); wait > 0 && !sleep(ctx, wait) {
			return ctx.Err()
		}
		batch, err := sub.NextBatch(ctx, s.opts.MaxBatch)
		if err != nil {
			return err
		}
		if err := s.send(ctx, out, batch); err != nil {
			return err
		}
		lastSent = time.Now()
	}
}

// batchKey carries a message's decoded batch in its context.
type batchKey struct{}

// send delivers one batch until it is acked, redelivering it after nacks.
// The bus is in-process, so the decoded batch travels in the message's
// context rather than serialised in its payload: every projection would
// otherwise encode and decode every event again.
func (s *Subscriber) send(ctx context.Context, out chan<- *message.Message, batch []event.Recorded) error {
	delay := s.opts.RetryDelay
	for {
		msg := message.NewMessage(batch[0].ID, nil)
		msg.Metadata.Set(MetaFirstPosition, strconv.FormatUint(uint64(batch[0].Position), 10))
		msg.Metadata.Set(MetaLastPosition, strconv.FormatUint(uint64(batch[len(batch)-1].Position), 10))
		msg.Metadata.Set(MetaCount, strconv.Itoa(len(batch)))
		msgCtx, cancel := context.WithCancel(context.WithValue(ctx, batchKey{}, batch))
		msg.SetContext(msgCtx)
		select {
		case out <- msg:
		case <-ctx.Done():
			cancel()
			return ctx.Err()
		}
		select {
		case <-msg.Acked():
			cancel()
			return nil
		case <-msg.Nacked():
			cancel()
			if !sleep(ctx, delay) {
				return ctx.Err()
			}
			delay = min(delay*2, 5*time.Second)
		case <-ctx.Done():
			cancel()
			return ctx.Err()
		}
	}
}

// Events returns the batch a message carries: from its context when it
// came from a Subscriber, else decoded from a JSON payload.
func Events(msg *message.Message) ([]event.Recorded, error) {
	if batch, ok := msg.Context().Value(batchKey{}).([]event.Recorded); ok {
		return batch, nil
	}
	var batch []event.Recorded
	if err := json.Unmarshal(msg.Payload, &batch); err != nil {
		return nil, fmt.Errorf("decoding event batch %s: %w", msg.UUID, err)
	}
	return batch, nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
