package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Projection is one read model: a stable name (its Watermill handler name,
// its index and its checkpoint key), the index schema, and a fold of events
// into documents.
type Projection interface {
	Name() string
	Schema() Schema
	// Apply folds one event into the documents it concerns; events it does
	// not care about are ignored. It reads and writes only through docs
	// (a runner may apply a batch twice: once to learn which documents it
	// reads, then for real).
	Apply(ctx context.Context, e event.Recorded, docs *Docs) error
}

// Docs is the working set of one batch: reads see the batch's own earlier
// writes, and the changed documents are written together at the end.
type Docs struct {
	store   SearchStore
	index   string
	changed map[string]Document
	order   []string
	// values holds the decoded form of changed documents that FoldStream
	// wrote: a document folded by several events of one batch is decoded
	// once and encoded once, when the batch is written (or read by Get).
	values map[string]any
	// fresh, during a rebuild, knows what the new generation holds.
	fresh *freshIndex
	// read holds documents read ahead for this batch (prefetch); a nil
	// Source with found false marks one known to be absent.
	read map[string]readAhead
	// missing, when not nil, makes Get a dry run: documents it would have
	// to ask the store for are listed here and answered as absent.
	missing *[]string
	// storeReads counts the documents read from the store one by one.
	storeReads int
}

type readAhead struct {
	doc   Document
	found bool
}

func newDocs(store SearchStore, index string, fresh *freshIndex) *Docs {
	return &Docs{store: store, index: index, changed: map[string]Document{}, fresh: fresh}
}

// Get returns the current document, from this batch, a rebuild's memory or
// the store.
func (d *Docs) Get(ctx context.Context, id string) (Document, bool, error) {
	if doc, ok, err := d.changedDoc(id); ok || err != nil {
		return doc, ok, err
	}
	if d.fresh != nil {
		if doc, found, known := d.fresh.get(id); known {
			return doc, found, nil
		}
	}
	if r, ok := d.read[id]; ok {
		return r.doc, r.found, nil
	}
	if d.missing != nil {
		*d.missing = append(*d.missing, id)
		d.read[id] = readAhead{}
		return Document{}, false, nil
	}
	d.storeReads++
	doc, err := d.store.Get(ctx, d.index, id)
	if errors.Is(err, ErrNotFound) {
		return Document{}, false, nil
	}
	if err != nil {
		return Document{}, false, err
	}
	return doc, true, nil
}

// changedDoc returns the batch's own state of a document, encoded.
func (d *Docs) changedDoc(id string) (Document, bool, error) {
	doc, ok := d.changed[id]
	if !ok || doc.Source != nil {
		return doc, ok, nil
	}
	src, err := json.Marshal(d.values[id])
	if err != nil {
		return Document{}, false, fmt.Errorf("encoding document %s: %w", id, err)
	}
	doc.Source = src
	d.changed[id] = doc
	return doc, true, nil
}

// Put records a document's new state.
func (d *Docs) Put(doc Document) {
	if _, ok := d.changed[doc.ID]; !ok {
		d.order = append(d.order, doc.ID)
	}
	d.changed[doc.ID] = doc
	delete(d.values, doc.ID)
}

// putValue records a document's new state in decoded form (FoldStream);
// it is encoded when read or written.
func (d *Docs) putValue(id string, version uint64, v any) {
	d.Put(Document{ID: id, Version: version})
	if d.values == nil {
		d.values = map[string]any{}
	}
	d.values[id] = v
}

func (d *Docs) list() ([]Document, error) {
	out := make([]Document, 0, len(d.order))
	for _, id := range d.order {
		doc := d.changed[id]
		if doc.Source == nil {
			src, err := json.Marshal(d.values[id])
			if err != nil {
				return nil, fmt.Errorf("encoding document %s: %w", id, err)
			}
			doc.Source = src
		}
		out = append(out, doc)
	}
	return out, nil
}

// ErrRefused marks an event a projection would not apply: it skips
// revisions, so the document it belongs to missed events.
var ErrRefused = errors.New("event refused")

// FoldStream folds an event into the document of its stream, versioned by
// stream revision. An event at or below the stored version is a replay and
// is ignored; one that skips revisions is refused (ErrRefused) and not
// applied. fold gets the decoded document (zero value for the stream's
// first event) and changes it in place.
func FoldStream[T any](ctx context.Context, docs *Docs, id string, e event.Recorded, fold func(doc *T) error) error {
	// A document this batch folded already is changed in place: the
	// batch's own decoded copy, encoded when the batch is written. (A fold
	// that fails fails the batch, which is applied again from the store.)
	var doc *T
	cur, found := docs.changed[id]
	if found {
		doc, _ = docs.values[id].(*T)
	}
	if doc == nil {
		var err error
		if cur, found, err = docs.Get(ctx, id); err != nil {
			return err
		}
	}
	if found && e.Revision <= cur.Version {
		return nil
	}
	want := uint64(0)
	if found {
		want = cur.Version + 1
	}
	if e.Revision != want {
		return fmt.Errorf("%w: %s revision %d arrived while document %s is at the revision before %d", ErrRefused, e.Stream, e.Revision, id, want)
	}
	if doc == nil {
		doc = new(T)
		if found {
			if err := json.Unmarshal(cur.Source, doc); err != nil {
				return fmt.Errorf("decoding document %s: %w", id, err)
			}
		}
	}
	if err := fold(doc); err != nil {
		return err
	}
	docs.putValue(id, e.Revision, doc)
	return nil
}

// Status is what a projection reports about itself.
type Status struct {
	Name          string         `json:"name"`
	Checkpoint    event.Position `json:"checkpoint"`
	EventsHandled uint64         `json:"events_handled"`
	Refused       uint64         `json:"refused"`
	LastError     string         `json:"last_error,omitempty"`
	LastBatchAt   time.Time      `json:"last_batch_at,omitzero"`
}

// Runner applies batches of events to one projection; its HandleBatch is
// what the projection's Watermill handler calls.
type Runner struct {
	p      Projection
	store  SearchStore
	logger *slog.Logger

	// handling is held while a batch is applied; a rebuild holds it to
	// switch generations between two batches.
	handling   sync.Mutex
	rebuilding sync.Mutex
	// storeReads is how many documents the last batch read from the store
	// one by one (under handling): many, and the next batch reads ahead.
	storeReads int
	// checkpointWritten is when the live index last got a write (under handling).
	checkpointWritten time.Time
	mu                sync.Mutex
	status            Status
	// fresh, for a replay into a fresh index (Replaying), remembers what
	// the runner wrote there.
	fresh *freshIndex
}

// Replaying declares that this runner alone fills its read model, from
// empty: a replay of the whole log into a fresh index (a benchmark, a
// check against a fresh rebuild). The runner then remembers what it wrote,
// as a rebuild does, instead of reading documents back from the store. Call
// it after Init and before the first batch; it refuses an index that
// already has a checkpoint. A live runner must not call it: another
// process may write its index after a lease changes hands.
func (r *Runner) Replaying() error {
	r.handling.Lock()
	defer r.handling.Unlock()
	if cp := r.Status().Checkpoint; cp != 0 {
		return fmt.Errorf("projection %s: replaying into an index that is at position %d, not empty", r.p.Name(), cp)
	}
	r.fresh = newFreshIndex(freshKeep)
	return nil
}

// NewRunner builds the runner of one projection.
func NewRunner(p Projection, store SearchStore, logger *slog.Logger) *Runner {
	return &Runner{p: p, store: store, logger: logger.With("projection", p.Name()), status: Status{Name: p.Name()}}
}

// Projection returns the runner's projection.
func (r *Runner) Projection() Projection { return r.p }

// Init creates the index and loads the durable checkpoint.
func (r *Runner) Init(ctx context.Context) error {
	if err := r.store.EnsureIndex(ctx, r.p.Schema()); err != nil {
		return fmt.Errorf("projection %s: creating index: %w", r.p.Name(), err)
	}
	cp, err := r.store.Checkpoint(ctx, r.p.Name())
	if err != nil {
		return fmt.Errorf("projection %s: reading checkpoint: %w", r.p.Name(), err)
	}
	r.mu.Lock()
	r.status.Checkpoint = cp
	r.mu.Unlock()
	return nil
}

// Start is the subscriber's start position: the durable checkpoint.
func (r *Runner) Start(ctx context.Context) (event.Position, error) {
	return r.store.Checkpoint(ctx, r.p.Name())
}

// Status reports the runner's progress.
func (r *Runner) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// HandleBatch applies one batch and writes its documents together with
// the checkpoint; only then does the projection's Watermill handler ack
// the batch. Events at or below the checkpoint (already in the index, e.g.
// after a rebuild switched generations) are skipped. A replay that feeds
// many runners decodes each batch once for all of them.
func (r *Runner) HandleBatch(ctx context.Context, batch []event.Recorded) error {
	r.handling.Lock()
	defer r.handling.Unlock()
	cp := r.Status().Checkpoint
	for len(batch) > 0 && batch[0].Position <= cp {
		batch = batch[1:]
	}
	if len(batch) == 0 {
		return nil
	}
	refused, err := r.apply(ctx, r.p.Name(), batch, r.fresh)
	if err != nil {
		r.setError(err)
		return err
	}
	r.mu.Lock()
	r.status.Checkpoint = batch[len(batch)-1].Position
	r.status.EventsHandled += uint64(len(batch))
	r.status.Refused += refused
	r.status.LastError = ""
	r.status.LastBatchAt = time.Now()
	r.mu.Unlock()
	return nil
}

// apply folds a batch into index and writes the changed documents with the
// batch's last position as checkpoint. It returns how many events were
// refused. fresh is a rebuild's memory of its new generation (nil for the
// live index).
func (r *Runner) apply(ctx context.Context, index string, batch []event.Recorded, fresh *freshIndex) (uint64, error) {
	docs := newDocs(r.store, index, fresh)
	// Read ahead only while batches need the store: a rebuild that
	// remembers what it wrote, or a read model whose batches touch one
	// document, would pay the dry run for nothing.
	// Only the live index's batches (under handling) keep the count; a
	// rebuild's generation remembers what it wrote.
	if live := index == r.p.Name(); live {
		if mg, ok := r.store.(ManyGetter); ok && r.storeReads >= readAheadFrom {
			read, err := r.readAhead(ctx, mg, index, batch, fresh)
			if err != nil {
				return 0, err
			}
			docs.read = read
		}
		defer func() { r.storeReads = docs.storeReads + len(docs.read) }()
	}
	var refused uint64
	for _, e := range batch {
		err := r.p.Apply(ctx, e, docs)
		if err == nil {
			continue
		}
		if isRefused(err) {
			refused++
			r.logger.Error("event refused", "stream", e.Stream, "revision", e.Revision, "position", e.Position, "err", err)
			continue
		}
		return refused, fmt.Errorf("projection %s at position %d: %w", r.p.Name(), e.Position, err)
	}
	last := batch[len(batch)-1].Position
	changed, err := docs.list()
	if err != nil {
		return refused, fmt.Errorf("projection %s: %w", r.p.Name(), err)
	}
	// A batch that changed no document of this read model needs no index
	// write but its checkpoint: write that at most every checkpointEvery,
	// or every one of many read models would persist a segment per batch.
	// A checkpoint left behind only means a short, harmless replay.
	if len(changed) == 0 && index == r.p.Name() && time.Since(r.checkpointWritten) < checkpointEvery {
		return refused, nil
	}
	if err := r.store.Write(ctx, index, changed, last); err != nil {
		return refused, fmt.Errorf("projection %s: writing batch up to %d: %w", r.p.Name(), last, err)
	}
	if index == r.p.Name() {
		r.checkpointWritten = time.Now()
	}
	if fresh != nil {
		fresh.wrote(changed)
	}
	return refused, nil
}

// readAheadFrom is how many single reads the previous batch needed for
// this one to read ahead.
const readAheadFrom = 4

// readAheadRounds bounds the dry runs of a batch. A document whose id
// depends on another document's content is found in the next round; what
// is still unknown after the last is read one by one, as without read-ahead.
const readAheadRounds = 3

// readAhead learns which documents a batch reads by applying it to a dry
// run of Docs (errors ignored: the real pass reports them), then reads
// them in one request per round. On Elasticsearch this turns one GET per
// document into one _mget per batch, live and in rebuilds alike.
func (r *Runner) readAhead(ctx context.Context, mg ManyGetter, index string, batch []event.Recorded, fresh *freshIndex) (map[string]readAhead, error) {
	read := map[string]readAhead{}
	for round := 0; round < readAheadRounds; round++ {
		var missing []string
		dry := newDocs(r.store, index, fresh)
		dry.read, dry.missing = map[string]readAhead{}, &missing
		for id, v := range read {
			dry.read[id] = v
		}
		for _, e := range batch {
			_ = r.p.Apply(ctx, e, dry)
		}
		if len(missing) == 0 {
			break
		}
		got, err := mg.GetMany(ctx, index, missing)
		if err != nil {
			return nil, fmt.Errorf("projection %s: reading %d documents ahead: %w", r.p.Name(), len(missing), err)
		}
		for _, id := range missing {
			doc, found := got[id]
			read[id] = readAhead{doc: doc, found: found}
		}
	}
	return read, nil
}

// checkpointEvery bounds how often a checkpoint alone is written.
const checkpointEvery = time.Second

func (r *Runner) setError(err error) {
	r.mu.Lock()
	r.status.LastError = err.Error()
	r.mu.Unlock()
}

func isRefused(err error) bool { return errors.Is(err, ErrRefused) }
