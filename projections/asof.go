package projections

import (
	"context"
	"errors"
	"sync"

	"github.com/butler-pm/butler/domain/event"
)

// StateAsOf folds a record's own events (its stream, oldest first, already
// cut at the moment asked for) through the read model's projection in
// memory: the record as the read model showed it then. It serves
// auditors, and is exact for read models whose documents come from one
// stream each (complaints, work orders, …).
func StateAsOf(ctx context.Context, p Projection, id string, events []event.Recorded) (Document, error) {
	mem := &memoryStore{docs: map[string]Document{}}
	docs := newDocs(mem, p.Name(), nil)
	for _, e := range events {
		if err := p.Apply(ctx, e, docs); err != nil && !errors.Is(err, ErrRefused) {
			return Document{}, err
		}
	}
	for _, d := range docs.list() {
		if d.ID == id {
			return d, nil
		}
	}
	return Document{}, ErrNotFound
}

// memoryStore is the SearchStore of a fold in memory: only Get is used.
type memoryStore struct {
	mu   sync.Mutex
	docs map[string]Document
}

func (m *memoryStore) EnsureIndex(context.Context, Schema) error { return nil }
func (m *memoryStore) Write(context.Context, string, []Document, event.Position) error {
	return nil
}
func (m *memoryStore) Checkpoint(context.Context, string) (event.Position, error) { return 0, nil }
func (m *memoryStore) Get(_ context.Context, _, id string) (Document, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d, ok := m.docs[id]; ok {
		return d, nil
	}
	return Document{}, ErrNotFound
}
func (m *memoryStore) Search(context.Context, string, Query) (Result, error) {
	return Result{}, errors.New("a fold in memory cannot search")
}
