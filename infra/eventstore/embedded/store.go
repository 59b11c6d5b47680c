// Package embedded is Butler's durable event store on local disk: one pebble
// database holding the global log ($all) and a per-stream index. A single
// writer goroutine group-commits concurrent appends so that many callers
// share one fsync; an append is acknowledged only after its fsync. See
// docs/eventstore.md for the design.
package embedded

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

var (
	// ErrStorage is wrapped by every error caused by the disk (write, sync,
	// read, corruption). After a failed write the store refuses further
	// appends: the outcome of the failed fsync is unknown, and reopening the
	// store recovers exactly what reached the disk.
	ErrStorage = event.ErrStorage
	// ErrClosed is returned by calls on a closed store.
	ErrClosed = errors.New("event store: closed")
	// ErrSubscriptionClosed is returned by Next after the subscription's Close.
	ErrSubscriptionClosed = errors.New("event store: subscription closed")
)

var _ eventstore.Store = (*Store)(nil)

// maxGroupEvents bounds one group commit so that a flood of writers cannot
// build an unbounded batch; the rest waits for the next fsync.
const maxGroupEvents = 8192

// headCacheSize bounds the cache of stream heads (Store.heads).
const headCacheSize = 1 << 16

// subscriptionPage is how many stored events a catching-up subscription
// reads at once.
const subscriptionPage = 512

// Option configures Open.
type Option func(*options)

type options struct {
	clock  func() time.Time
	logger *slog.Logger
	fs     vfs.FS
	noSync bool
}

// WithClock sets the clock that stamps each event's recorded time
// (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithLogger sets where storage-engine messages go (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithoutSync acknowledges an append once it is written, without waiting
// for the disk; Close makes everything durable. For a bulk load into a
// fresh directory that is simply made again if the run is cut short (the
// demo generator): a crash may lose the last appends it acknowledged.
func WithoutSync() Option { return func(o *options) { o.noSync = true } }

// withFS lets tests run the store on a crashable or failing file system.
func withFS(fs vfs.FS) Option { return func(o *options) { o.fs = fs } }

// Store is the embedded event store. It is safe for concurrent use.
type Store struct {
	db    *pebble.DB
	clock func() time.Time
	log   *slog.Logger

	// closeMu keeps reads from racing pebble's Close.
	closeMu sync.RWMutex
	closed  bool

	qmu      sync.Mutex
	queue    []*appendReq
	stopping bool
	wake     chan struct{}
	writerWG sync.WaitGroup

	// head is the last acknowledged (durable) position; reads never go past
	// it, so nothing is visible before it is durable.
	head   atomic.Uint64
	hmu    sync.Mutex
	notify chan struct{} // closed and replaced each time head moves
	done   chan struct{} // closed by Close: ends subscriptions

	closeOnce sync.Once
	closeErr  error

	// sync is how a batch commits (pebble.NoSync under WithoutSync).
	sync *pebble.WriteOptions

	// heads caches streams' last acknowledged revisions. Only the writer
	// goroutine changes it (after a commit, and when it has looked a head
	// up), under headsMu; ReadStream reads it so that a read from past a
	// stream's end, a command's "anything after what I hold?", needs no
	// iterator. Every append goes through the writer, so an entry is
	// never behind the stream; a stream without one is read from disk.
	headsMu sync.RWMutex
	heads   map[string]uint64

	// Owned by the writer goroutine.
	failed error
	trap   *commitTrap
}

type appendReq struct {
	ctx      context.Context
	stream   string
	expected event.ExpectedRevision
	bodies   [][]byte
	res      event.AppendResult
	err      error
	done     chan struct{}
}

// Open opens (creating if needed) the store in dir. A torn tail left by a
// crash is repaired by the engine's log recovery; every acknowledged append
// is kept.
func Open(dir string, opts ...Option) (*Store, error) {
	o := options{clock: time.Now, logger: slog.Default(), fs: vfs.Default}
	for _, opt := range opts {
		opt(&o)
	}
	trap := &commitTrap{}
	cache := pebble.NewCache(64 << 20)
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{
		FS:                 o.fs,
		Cache:              cache,
		Logger:             pebbleLogger{l: o.logger, trap: trap},
		FormatMajorVersion: pebble.FormatNewest,
		MemTableSize:       64 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %w", ErrStorage, dir, err)
	}
	s := &Store{
		db:     db,
		clock:  o.clock,
		log:    o.logger,
		wake:   make(chan struct{}, 1),
		notify: make(chan struct{}),
		done:   make(chan struct{}),
		heads:  make(map[string]uint64),
		trap:   trap,
		sync:   pebble.Sync,
	}
	if o.noSync {
		s.sync = pebble.NoSync
	}
	last, err := s.loadLast()
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	s.head.Store(uint64(last))
	s.writerWG.Add(1)
	go s.run()
	return s, nil
}

// loadLast finds the last position and checks it against the stored
// last-position key, which every batch writes together with its events.
func (s *Store) loadLast() (event.Position, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{tableAll}, UpperBound: []byte{tableAll + 1}})
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	var last event.Position
	if it.Last() {
		last = event.Position(binary.BigEndian.Uint64(it.Key()[1:]))
	}
	if err := firstErr(it.Error(), it.Close()); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	v, closer, err := s.db.Get(keyLast)
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		if last != 0 {
			return 0, fmt.Errorf("%w: last position missing but log holds %d", ErrStorage, last)
		}
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	stored := event.Position(binary.BigEndian.Uint64(v))
	_ = closer.Close()
	if stored != last {
		return 0, fmt.Errorf("%w: last position %d but log ends at %d", ErrStorage, stored, last)
	}
	return last, nil
}

// Head returns the last acknowledged position (0 when the store is empty).
func (s *Store) Head(ctx context.Context) (event.Position, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return event.Position(s.head.Load()), nil
}

// Append implements eventstore.Store. It returns once the events are on
// disk (fsynced) or the append failed; a failed append writes nothing.
func (s *Store) Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error) {
	if stream == "" {
		return event.AppendResult{}, errors.New("event store: append: empty stream name")
	}
	if len(events) == 0 {
		return event.AppendResult{}, fmt.Errorf("event store: append to %s: no events", stream)
	}
	if err := ctx.Err(); err != nil {
		return event.AppendResult{}, err
	}
	req := &appendReq{ctx: ctx, stream: stream, expected: expected, bodies: make([][]byte, len(events)), done: make(chan struct{})}
	for i, e := range events {
		b, err := encodeBody(e)
		if err != nil {
			return event.AppendResult{}, fmt.Errorf("event store: append to %s: %w", stream, err)
		}
		req.bodies[i] = b
	}
	s.qmu.Lock()
	if s.stopping {
		s.qmu.Unlock()
		return event.AppendResult{}, ErrClosed
	}
	s.queue = append(s.queue, req)
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // the writer is already due to look at the queue
	}
	// Once queued the outcome is decided within one group commit, so wait
	// for it even if ctx ends: returning early would hide whether it landed.
	<-req.done
	return req.res, req.err
}

var _ eventstore.OrderedAppender = (*Store)(nil)

// AppendOrdered implements eventstore.OrderedAppender: the parts are queued
// together, so the writer commits them in this order (in one group commit,
// or consecutive ones when they exceed its bound).
func (s *Store) AppendOrdered(ctx context.Context, parts []eventstore.StreamAppend) ([]event.AppendResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	reqs := make([]*appendReq, len(parts))
	for i, p := range parts {
		if p.Stream == "" || len(p.Events) == 0 {
			return nil, fmt.Errorf("event store: ordered append part %d: empty stream name or no events", i)
		}
		r := &appendReq{ctx: ctx, stream: p.Stream, expected: p.Expected, bodies: make([][]byte, len(p.Events)), done: make(chan struct{})}
		for j, e := range p.Events {
			b, err := encodeBody(e)
			if err != nil {
				return nil, fmt.Errorf("event store: append to %s: %w", p.Stream, err)
			}
			r.bodies[j] = b
		}
		reqs[i] = r
	}
	s.qmu.Lock()
	if s.stopping {
		s.qmu.Unlock()
		return nil, ErrClosed
	}
	s.queue = append(s.queue, reqs...)
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	res := make([]event.AppendResult, len(reqs))
	var first error
	for i, r := range reqs {
		<-r.done
		res[i] = r.res
		if r.err != nil && first == nil {
			first = fmt.Errorf("part %d (%s): %w", i, r.stream, r.err)
		}
	}
	return res, first
}

// run is the single writer: it takes everything queued, commits it as one
// batch with one fsync, and acknowledges.
func (s *Store) run() {
	defer s.writerWG.Done()
	var spare []*appendReq
	for range s.wake {
		for {
			s.qmu.Lock()
			group := s.queue
			k, n := len(group), 0
			for i, r := range group {
				n += len(r.bodies)
				if n > maxGroupEvents && i > 0 {
					k = i
					break
				}
			}
			// group and the new queue must never share an array.
			if k < len(group) {
				s.queue = append([]*appendReq(nil), group[k:]...)
				group = group[:k]
			} else {
				s.queue, spare = spare, nil
			}
			stopping := s.stopping
			s.qmu.Unlock()
			if len(group) == 0 {
				if stopping {
					return
				}
				spare = group
				break
			}
			s.commitGroup(group)
			clear(group)
			spare = group[:0]
		}
	}
}

func (s *Store) commitGroup(group []*appendReq) {
	if s.failed != nil {
		for _, r := range group {
			r.err = s.failed
			close(r.done)
		}
		return
	}
	pending := make(map[string]uint64, len(group))
	accepted := make([]*appendReq, 0, len(group))
	pos := event.Position(s.head.Load())
	recorded := s.clock().UnixNano()
	b := s.db.NewBatch()
	defer b.Close()
	var val, idx []byte
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			close(r.done)
			continue
		}
		cur, exists, err := s.streamHead(r.stream, pending)
		if err != nil {
			r.err = err
			close(r.done)
			continue
		}
		if !r.expected.Check(cur, exists) {
			r.err = &event.ConflictError{Stream: r.stream, Expected: r.expected, Actual: cur, Exists: exists}
			close(r.done)
			continue
		}
		rev := uint64(0)
		if exists {
			rev = cur + 1
		}
		prefix := streamPrefix(r.stream)
		for _, body := range r.bodies {
			pos++
			val = appendRecord(val[:0], r.stream, rev, recorded, body)
			idx = binary.BigEndian.AppendUint64(idx[:0], uint64(pos))
			if err := firstErr(b.Set(allKey(pos), val, nil), b.Set(streamKey(prefix, rev), idx, nil)); err != nil {
				s.fail(group, fmt.Errorf("%w: batch: %w", ErrStorage, err))
				return
			}
			rev++
		}
		pending[r.stream] = rev - 1
		r.res = event.AppendResult{NextRevision: rev - 1, Position: pos}
		accepted = append(accepted, r)
	}
	if len(accepted) == 0 {
		return
	}
	err := firstErr(b.Set(keyLast, binary.BigEndian.AppendUint64(nil, uint64(pos)), nil), b.Commit(s.sync), s.trap.get())
	if err != nil {
		s.fail(accepted, fmt.Errorf("%w: commit: %w", ErrStorage, err))
		return
	}
	s.headsMu.Lock()
	if len(s.heads) > headCacheSize {
		clear(s.heads)
	}
	for stream, rev := range pending {
		s.heads[stream] = rev
	}
	s.headsMu.Unlock()
	s.publish(pos)
	for _, r := range accepted {
		close(r.done)
	}
}

// fail poisons the store: after a failed write or sync nobody knows what
// reached the disk, so no further append may assume the old head.
func (s *Store) fail(reqs []*appendReq, err error) {
	s.failed = err
	s.log.Error("event store write failed; refusing further appends until reopened", "err", err)
	for _, r := range reqs {
		select {
		case <-r.done:
		default:
			r.err = err
			r.res = event.AppendResult{}
			close(r.done)
		}
	}
}

// streamHead returns a stream's last revision as of the group being built.
func (s *Store) streamHead(stream string, pending map[string]uint64) (uint64, bool, error) {
	if rev, ok := pending[stream]; ok {
		return rev, true, nil
	}
	if rev, ok := s.lastRevision(stream); ok {
		return rev, true, nil
	}
	prefix := streamPrefix(stream)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: streamUpper(prefix)})
	if err != nil {
		return 0, false, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	var rev uint64
	exists := it.Last()
	if exists {
		rev = binary.BigEndian.Uint64(it.Key()[len(prefix):])
	}
	if err := firstErr(it.Error(), it.Close()); err != nil {
		return 0, false, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	if exists {
		s.headsMu.Lock()
		s.heads[stream] = rev
		s.headsMu.Unlock()
	}
	return rev, exists, nil
}

// lastRevision returns a stream's last acknowledged revision when the
// cache of heads holds it.
func (s *Store) lastRevision(stream string) (uint64, bool) {
	s.headsMu.RLock()
	defer s.headsMu.RUnlock()
	rev, ok := s.heads[stream]
	return rev, ok
}

// streamUpper is an exclusive upper bound above every key of the stream.
func streamUpper(prefix []byte) []byte {
	u := make([]byte, len(prefix), len(prefix)+9)
	copy(u, prefix)
	return append(u, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
}

func (s *Store) publish(pos event.Position) {
	s.hmu.Lock()
	s.head.Store(uint64(pos))
	close(s.notify)
	s.notify = make(chan struct{})
	s.hmu.Unlock()
}

// watch returns the head and a channel closed when it next moves.
func (s *Store) watch() (<-chan struct{}, event.Position) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	return s.notify, event.Position(s.head.Load())
}

// ReadStream implements eventstore.Store.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if max <= 0 {
		return nil, fmt.Errorf("event store: read %s: max must be positive, got %d", stream, max)
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	if last, ok := s.lastRevision(stream); ok && dir == event.Forward && from > last {
		// Past the end of a stream that exists: nothing to read.
		return []event.Recorded{}, nil
	}
	head := event.Position(s.head.Load())
	prefix := streamPrefix(stream)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: streamUpper(prefix)})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	var positions []event.Position
	posAt := func() event.Position { return event.Position(binary.BigEndian.Uint64(it.Value())) }
	var ok bool
	if dir == event.Backward {
		if from == event.StreamEnd {
			ok = it.Last()
		} else {
			ok = it.SeekLT(streamKey(prefix, from+1))
		}
		// Skip the tail of a batch that is committed but not yet acknowledged.
		for ; ok && posAt() > head; ok = it.Prev() {
		}
		for ; ok && len(positions) < max; ok = it.Prev() {
			positions = append(positions, posAt())
		}
	} else {
		for ok = it.SeekGE(streamKey(prefix, from)); ok && len(positions) < max; ok = it.Next() {
			p := posAt()
			if p > head {
				break
			}
			positions = append(positions, p)
		}
	}
	exists := len(positions) > 0
	if !exists {
		// Empty result: tell an unknown stream from a read past its end.
		ok = it.First()
		exists = ok && posAt() <= head
	}
	if err := firstErr(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	if !exists {
		return nil, fmt.Errorf("%w: %s", event.ErrStreamNotFound, stream)
	}
	out := make([]event.Recorded, 0, len(positions))
	for _, p := range positions {
		rec, err := s.get(p)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func (s *Store) get(p event.Position) (event.Recorded, error) {
	v, closer, err := s.db.Get(allKey(p))
	if err != nil {
		return event.Recorded{}, fmt.Errorf("%w: position %d: %w", ErrStorage, p, err)
	}
	defer closer.Close()
	rec, err := decodeRecord(p, v)
	if err != nil {
		return event.Recorded{}, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	return rec, nil
}

// ReadAll implements eventstore.Store.
func (s *Store) ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if max <= 0 {
		return nil, fmt.Errorf("event store: read $all: max must be positive, got %d", max)
	}
	return s.readAll(from, dir, max, event.Position(s.head.Load()))
}

// readAll reads $all up to head inclusive, excluding from.
func (s *Store) readAll(from event.Position, dir event.Direction, max int, head event.Position) ([]event.Recorded, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	if head == 0 {
		return nil, nil
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: allKey(1), UpperBound: allKey(head + 1)})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	var out []event.Recorded
	var ok bool
	step := it.Next
	if dir == event.Backward {
		step = it.Prev
		if from > head {
			ok = it.Last()
		} else {
			ok = it.SeekLT(allKey(from))
		}
	} else {
		ok = it.SeekGE(allKey(from + 1))
	}
	for ; ok && len(out) < max; ok = step() {
		rec, err := decodeRecord(event.Position(binary.BigEndian.Uint64(it.Key()[1:])), it.Value())
		if err != nil {
			_ = it.Close()
			return nil, fmt.Errorf("%w: %w", ErrStorage, err)
		}
		out = append(out, rec)
	}
	if err := firstErr(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	return out, nil
}

// Snapshot writes a consistent copy of the store, as it stands, into dir
// (which must not exist) while appends go on: a pebble checkpoint, whose
// files are hard links where the file system allows. Opening dir gives a
// store that holds every event acknowledged before the call.
func (s *Store) Snapshot(dir string) error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	if err := s.db.Checkpoint(dir, pebble.WithFlushedWAL()); err != nil {
		return fmt.Errorf("%w: snapshot into %s: %w", ErrStorage, dir, err)
	}
	return nil
}

// Close stops accepting appends, finishes those already queued, ends all
// subscriptions and closes the database. Calling it again returns the first
// call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.qmu.Lock()
		s.stopping = true
		s.qmu.Unlock()
		// A pending signal makes the writer drain the queue and then stop.
		select {
		case s.wake <- struct{}{}:
		default:
		}
		s.writerWG.Wait()
		close(s.done)
		s.closeMu.Lock()
		s.closed = true
		s.closeMu.Unlock()
		if s.sync == pebble.NoSync {
			// What was written without waiting for the disk goes to it now.
			if err := s.db.Flush(); err != nil {
				s.closeErr = fmt.Errorf("%w: flush: %w", ErrStorage, err)
			}
		}
		if err := s.db.Close(); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("%w: close: %w", ErrStorage, err)
		}
	})
	return s.closeErr
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// commitTrap catches pebble's "fatal commit error": pebble reports a failed
// WAL write or sync through Logger.Fatalf and then returns nil from Commit.
// Trapping it lets the append fail with ErrStorage instead of ending the
// process; the store then never commits again (pebble's pipeline is broken
// after such an error) until it is reopened.
type commitTrap struct {
	mu  sync.Mutex
	err error
}

func (c *commitTrap) set(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
}

func (c *commitTrap) get() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// pebbleLogger sends the engine's messages to slog.
type pebbleLogger struct {
	l    *slog.Logger
	trap *commitTrap
}

func (p pebbleLogger) Infof(format string, args ...any) {
	p.l.Debug(fmt.Sprintf(format, args...), "component", "pebble")
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	p.l.Error(fmt.Sprintf(format, args...), "component", "pebble")
}

// Fatalf returns only for a commit error (see commitTrap); every other
// fatal error is an engine invariant, and pebble's own behaviour (exit) is
// kept because it cannot continue safely.
func (p pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	p.l.Error(msg, "component", "pebble")
	if strings.HasPrefix(msg, "pebble: fatal commit error") {
		p.trap.set(errors.New(msg))
		return
	}
	pebble.DefaultLogger.Fatalf(format, args...)
}
