// Package esdb is the event store on EventStoreDB/KurrentDB, through the
// official v4 gRPC client. One Butler stream is one EventStoreDB stream;
// our global position is the server's commit position in $all.
//
// Events EventStoreDB writes for itself (types starting with "$") are not
// Butler's history: ReadAll skips them and SubscribeAll filters them out on
// the server.
//
// Butler deletes no stream, but an operator may on the server: a deleted
// stream (soft-deleted or tombstoned) reads as event.ErrStreamNotFound, and
// an append to a tombstoned one is an *event.ConflictError with Deleted set.
package esdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

var _ eventstore.Store = (*Store)(nil)

// ErrClosed is returned by operations on a closed store.
var ErrClosed = errors.New("esdb: store closed")

// Option tunes Open.
type Option func(*config)

type config struct {
	logger     *slog.Logger
	minBackoff time.Duration
	maxBackoff time.Duration
	pageSize   int
}

// WithLogger sets where the adapter and the client log (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithReconnectBackoff sets the first and the longest wait between attempts
// to resubscribe after a dropped subscription (default 100ms, 5s).
func WithReconnectBackoff(first, longest time.Duration) Option {
	return func(c *config) {
		if first > 0 {
			c.minBackoff = first
		}
		if longest >= c.minBackoff {
			c.maxBackoff = longest
		}
	}
}

// Store is an eventstore.Store on EventStoreDB. It is safe for concurrent use.
type Store struct {
	conf   *esclient.Configuration
	cfg    config
	mu     sync.Mutex
	conn   *conn
	closed bool
	done   chan struct{}
	subs   sync.WaitGroup
}

// Open connects to the server named by connString, e.g.
// "esdb://127.0.0.1:2113?tls=false", and checks that it answers.
func Open(ctx context.Context, connString string, opts ...Option) (*Store, error) {
	cfg := config{logger: slog.Default(), minBackoff: 100 * time.Millisecond, maxBackoff: 5 * time.Second, pageSize: 256}
	for _, o := range opts {
		o(&cfg)
	}
	conf, err := esclient.ParseConnectionString(connString)
	if err != nil {
		return nil, fmt.Errorf("esdb: connection string: %w", err)
	}
	log := cfg.logger.With("component", "esdb-client")
	// The client logs to stdout by default; route it to slog, quietly.
	conf.Logger = func(level esclient.LogLevel, format string, args ...any) {
		lvl := slog.LevelDebug
		if level == esclient.LogWarn || level == esclient.LogError {
			lvl = slog.LevelInfo
		}
		log.Log(context.Background(), lvl, fmt.Sprintf(format, args...))
	}
	client, err := esclient.NewClient(conf)
	if err != nil {
		return nil, fmt.Errorf("esdb: %w", err)
	}
	s := &Store{conf: conf, cfg: cfg, conn: &conn{c: client}, done: make(chan struct{})}
	if _, err := s.Head(ctx); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("esdb: server at %s does not answer: %w", conf.Address, err)
	}
	return s, nil
}

// conn is one client and the calls running on it. The v4 client must not
// be closed while a call runs: a failing call reports to the client's
// internal channel, and sending there after Close panics.
type conn struct {
	c       *esclient.Client
	running sync.WaitGroup
}

// closeWhenIdle closes the client once its running calls have returned.
func (cn *conn) closeWhenIdle() {
	cn.running.Wait()
	_ = cn.c.Close()
}

// acquire returns the live client, counted as running until release.
func (s *Store) acquire() (*conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	s.conn.running.Add(1)
	return s.conn, nil
}

// renew replaces a client that gave up (acquired, like acquire): after a
// failed rediscovery the v4 client closes itself for good, so a server that
// was away for a second would otherwise end every later call.
func (s *Store) renew(old *conn) (*conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if s.conn == old {
		c, err := esclient.NewClient(s.conf)
		if err != nil {
			return nil, err
		}
		s.conn = &conn{c: c}
		go old.closeWhenIdle()
	}
	s.conn.running.Add(1)
	return s.conn, nil
}

// isConnectionClosed reports the client's "closed for good" error, which it
// raises before sending anything: retrying the call is safe.
func isConnectionClosed(err error) bool {
	var esErr *esclient.Error
	return errors.As(err, &esErr) && esErr.Code() == esclient.ErrorCodeConnectionClosed
}

// call runs op on the live client, renewing it once if it had closed itself.
func call[T any](s *Store, op func(*esclient.Client) (T, error)) (T, error) {
	cn, err := s.acquire()
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := op(cn.c)
	cn.running.Done()
	if err != nil && isConnectionClosed(err) {
		if cn, rerr := s.renew(cn); rerr == nil {
			v, err = op(cn.c)
			cn.running.Done()
		}
	}
	if err != nil && isUnreachable(err) {
		err = fmt.Errorf("%w: %w", event.ErrUnavailable, err)
	}
	return v, err
}

// isUnreachable reports whether err says the server could not be reached
// (as opposed to an answer from it): the client's connection codes, or a
// transport failure underneath an unclassified client error (the stream to
// the server broke: EOF, or gRPC Unavailable).
func isUnreachable(err error) bool {
	var esErr *esclient.Error
	if !errors.As(err, &esErr) {
		return false
	}
	switch esErr.Code() {
	case esclient.ErrorCodeConnectionClosed, esclient.ErrorCodeDeadlineExceeded, esclient.ErrorUnavailable:
		return true
	case esclient.ErrorCodeUnknown:
		inner := esErr.Err()
		return errors.Is(inner, io.EOF) || errors.Is(inner, io.ErrUnexpectedEOF) || status.Code(inner) == codes.Unavailable
	}
	return false
}

// Append implements eventstore.Store.
func (s *Store) Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error) {
	if len(events) == 0 {
		return event.AppendResult{}, fmt.Errorf("esdb: append to %s: no events", stream)
	}
	data := make([]esclient.EventData, len(events))
	for i, e := range events {
		d, err := toEventData(e)
		if err != nil {
			return event.AppendResult{}, err
		}
		data[i] = d
	}
	opts := esclient.AppendToStreamOptions{ExpectedRevision: toExpected(expected)}
	res, err := call(s, func(c *esclient.Client) (*esclient.WriteResult, error) {
		return c.AppendToStream(ctx, stream, opts, data...)
	})
	if err != nil {
		if conflict, ok := conflictFrom(err, stream, expected); ok {
			return event.AppendResult{}, conflict
		}
		return event.AppendResult{}, fmt.Errorf("esdb: append to %s: %w", stream, err)
	}
	return event.AppendResult{NextRevision: res.NextExpectedVersion, Position: event.Position(res.CommitPosition)}, nil
}

// ReadStream implements eventstore.Store.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	if max <= 0 {
		return nil, nil
	}
	opts := esclient.ReadStreamOptions{Direction: esclient.Forwards, From: esclient.Revision(from)}
	if dir == event.Backward {
		opts.Direction = esclient.Backwards
		if from == event.StreamEnd {
			opts.From = esclient.End{}
		}
	}
	out, err := call(s, func(c *esclient.Client) ([]event.Recorded, error) {
		rs, err := c.ReadStream(ctx, stream, opts, uint64(max))
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var out []event.Recorded
		for {
			ev, err := rs.Recv()
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			if err != nil {
				return nil, err
			}
			rec, err := fromRecorded(ev.OriginalEvent())
			if err != nil {
				return nil, err
			}
			out = append(out, rec)
		}
	})
	if err != nil {
		// A deleted stream (a tombstone made outside Butler) reads as one
		// that never existed: Butler deletes nothing, and what was deleted
		// is gone for its readers.
		var esErr *esclient.Error
		if errors.As(err, &esErr) && (esErr.Code() == esclient.ErrorCodeResourceNotFound || esErr.Code() == esclient.ErrorCodeStreamDeleted) {
			return nil, fmt.Errorf("esdb: read %s: %w", stream, event.ErrStreamNotFound)
		}
		return nil, fmt.Errorf("esdb: read %s: %w", stream, err)
	}
	return out, nil
}

// ReadAll implements eventstore.Store. System events are skipped, so a page
// may take several round trips.
func (s *Store) ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error) {
	if max <= 0 {
		return nil, nil
	}
	var out []event.Recorded
	var start esclient.AllPosition
	switch {
	case dir == event.Forward && from == 0:
		start = esclient.Start{}
	case dir == event.Backward && from == event.End:
		start = esclient.End{}
	default:
		start = esclient.Position{Commit: uint64(from), Prepare: uint64(from)}
	}
	// The server reads forward from a position including the event there
	// and backward from it excluding it (a position is a byte offset into
	// its log, so from must be one it gave us). bound excludes what is not
	// wanted or was already seen: forward, positions up to it; backward,
	// positions from it on.
	direction := esclient.Forwards
	if dir == event.Backward {
		direction = esclient.Backwards
	}
	var bound *esclient.Position
	if p, ok := start.(esclient.Position); ok {
		bound = &p
	}
	for len(out) < max {
		page, more, err := s.readAllPage(ctx, direction, start, s.cfg.pageSize)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			if bound != nil {
				if direction == esclient.Forwards && !posLess(*bound, r.Position) {
					continue
				}
				if direction == esclient.Backwards && !posLess(r.Position, *bound) {
					continue
				}
			}
			if isSystem(r) {
				continue
			}
			rec, err := fromRecorded(r)
			if err != nil {
				return nil, err
			}
			out = append(out, rec)
			if len(out) == max {
				return out, nil
			}
		}
		if !more {
			break
		}
		// Continue from the last event read; bound drops it if the server
		// repeats it.
		last := page[len(page)-1].Position
		start, bound = last, &last
	}
	return out, nil
}

// readAllPage reads up to n raw events of $all; more says a full page came back.
func (s *Store) readAllPage(ctx context.Context, dir esclient.Direction, from esclient.AllPosition, n int) ([]*esclient.RecordedEvent, bool, error) {
	page, err := call(s, func(c *esclient.Client) ([]*esclient.RecordedEvent, error) {
		rs, err := c.ReadAll(ctx, esclient.ReadAllOptions{Direction: dir, From: from}, uint64(n))
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var page []*esclient.RecordedEvent
		for {
			ev, err := rs.Recv()
			if errors.Is(err, io.EOF) {
				return page, nil
			}
			if err != nil {
				return nil, err
			}
			page = append(page, ev.OriginalEvent())
		}
	})
	if err != nil {
		return nil, false, fmt.Errorf("esdb: read $all: %w", err)
	}
	return page, len(page) == n, nil
}

// Head returns the position of the last event in $all (0 when empty),
// system events included: subscribing after it yields only newer events.
func (s *Store) Head(ctx context.Context) (event.Position, error) {
	page, _, err := s.readAllPage(ctx, esclient.Backwards, esclient.End{}, 1)
	if err != nil {
		return 0, err
	}
	if len(page) == 0 {
		return 0, nil
	}
	return event.Position(page[0].Position.Commit), nil
}

// Close ends all subscriptions and the connection.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	cn := s.conn
	s.mu.Unlock()
	s.subs.Wait()
	cn.closeWhenIdle()
	return nil
}
