package projections

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Reads "as of" a moment run the read models' own Apply in memory over the
// events recorded until then: a record or a KPI as it could be known at
// that moment comes from the same fold as the live read model, never from
// a second implementation.

// OneStream is a read model whose document id is folded from one stream
// alone (every StreamModel; patrols): its state as of a moment needs only
// that stream's events. Any other read model reads other streams or other
// documents, so its state as of a moment needs the whole log up to then.
type OneStream interface {
	Projection
	// StreamOf is the stream whose events make document id.
	StreamOf(id string) string
}

// StreamOf is the stream of document id: Prefix + id.
func (m StreamModel[T]) StreamOf(id string) string { return m.Prefix + id }

// MemoryFold applies events to read models in memory, exactly as their
// live runners would (the same Apply; an event a read model refuses, a
// gap, is passed over), without a store: every document stays in memory.
type MemoryFold struct {
	ps   []Projection
	docs map[string]*Docs
	// Last is the position of the last event applied.
	Last event.Position
}

// NewMemoryFold starts an empty fold of the read models ps.
func NewMemoryFold(ps ...Projection) *MemoryFold {
	f := &MemoryFold{ps: ps, docs: map[string]*Docs{}}
	for _, p := range ps {
		f.docs[p.Name()] = newDocs(emptyStore{}, p.Name(), nil)
	}
	return f
}

// Apply folds events, oldest first, into every read model of the fold.
func (f *MemoryFold) Apply(ctx context.Context, events []event.Recorded) error {
	for _, e := range events {
		for _, p := range f.ps {
			if err := p.Apply(ctx, e, f.docs[p.Name()]); err != nil && !errors.Is(err, ErrRefused) {
				return fmt.Errorf("projection %s at position %d: %w", p.Name(), e.Position, err)
			}
		}
		f.Last = e.Position
	}
	return nil
}

// Get returns a document of one of the fold's read models, or ErrNotFound.
func (f *MemoryFold) Get(index, id string) (Document, error) {
	if d, ok := f.docs[index]; ok {
		if doc, ok, err := d.changedDoc(id); ok || err != nil {
			return doc, err
		}
	}
	return Document{}, ErrNotFound
}

// Store writes every document of the fold into store, which should be
// empty (an in-memory index): its read models then answer searches as the
// live ones would have once the same events were applied. Without
// fullText the Text fields are left out of the index, which is most of
// indexing's cost: for searches that filter, sort and count only (KPIs).
func (f *MemoryFold) Store(ctx context.Context, store SearchStore, fullText bool) error {
	const chunk = 1000
	for _, p := range f.ps {
		schema := p.Schema()
		if !fullText {
			schema.Fields = maps.Clone(schema.Fields)
			maps.DeleteFunc(schema.Fields, func(_ string, k FieldKind) bool { return k == Text })
		}
		if err := store.EnsureIndex(ctx, schema); err != nil {
			return err
		}
		docs, err := f.docs[p.Name()].list()
		if err != nil {
			return err
		}
		for len(docs) > 0 {
			n := min(chunk, len(docs))
			if err := store.Write(ctx, p.Name(), docs[:n], f.Last); err != nil {
				return err
			}
			docs = docs[n:]
		}
	}
	return nil
}

// StreamAsOf folds a record's own stream (events, oldest first) up to the
// last event recorded at or before at, and returns document id as the read
// model showed it then: ErrNotFound if it did not exist yet.
func StreamAsOf(ctx context.Context, p OneStream, id string, events []event.Recorded, at time.Time) (Document, error) {
	n := 0
	for n < len(events) && !events[n].RecordedAt.After(at) {
		n++
	}
	f := NewMemoryFold(p)
	if err := f.Apply(ctx, events[:n]); err != nil {
		return Document{}, err
	}
	return f.Get(p.Name(), id)
}

// logPage is how many events of $all one read of a fold asks for.
const logPage = 1000

// FoldLogUntil folds the global log into f, oldest first, up to the last
// event recorded at or before at, and returns how many events it applied.
// $all is in the order events were recorded, so the first event recorded
// after at ends the read. The cost is every event recorded until at; ctx
// ending stops it between two pages.
func FoldLogUntil(ctx context.Context, log LogReader, at time.Time, f *MemoryFold) (int, error) {
	var from event.Position
	applied := 0
	for {
		if err := ctx.Err(); err != nil {
			return applied, err
		}
		page, err := log.ReadAll(ctx, from, event.Forward, logPage)
		if err != nil {
			return applied, err
		}
		full := len(page) == logPage
		n := 0
		for n < len(page) && !page[n].RecordedAt.After(at) {
			n++
		}
		if err := f.Apply(ctx, page[:n]); err != nil {
			return applied, err
		}
		applied += n
		if n < len(page) || !full {
			return applied, nil
		}
		from = page[n-1].Position
	}
}

// emptyStore is the store behind a fold in memory: it holds nothing, so a
// document not yet folded is absent.
type emptyStore struct{}

func (emptyStore) EnsureIndex(context.Context, Schema) error { return nil }
func (emptyStore) Write(context.Context, string, []Document, event.Position) error {
	return errors.New("a fold in memory writes nothing")
}
func (emptyStore) Checkpoint(context.Context, string) (event.Position, error) { return 0, nil }
func (emptyStore) Get(context.Context, string, string) (Document, error) {
	return Document{}, ErrNotFound
}
func (emptyStore) Search(context.Context, string, Query) (Result, error) {
	return Result{}, errors.New("a fold in memory cannot search")
}
