package projections

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/butler-pm/butler/domain/localtime"
)

// Revisioned is a projection that states the revision of its fold. Bump
// it when the fold changes what it writes for events already in the log
// (a field computed differently, a new field filled from old events): a
// server then finds the read model's definition changed and rebuilds it.
// A change of schema (a field added, removed or of another kind) changes
// the definition by itself.
type Revisioned interface {
	Revision() int
}

// Definition names what a read model's documents are made by: its fold's
// revision, its schema and, when it is not the default, the projects' time
// zone (the days and months folds derive: a deployment whose --timezone
// changes rebuilds its read models). Two servers with the same Definition
// write the same documents.
func Definition(p Projection) string {
	rev := 0
	if r, ok := p.(Revisioned); ok {
		rev = r.Revision()
	}
	s := p.Schema()
	names := make([]string, 0, len(s.Fields))
	for f := range s.Fields {
		names = append(names, f)
	}
	slices.Sort(names)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", s.Name)
	for _, f := range names {
		fmt.Fprintf(h, "%s=%d\n", f, s.Fields[f])
	}
	if z := localtime.Zone(); z.String() != localtime.DefaultZone.String() {
		// The default zone adds nothing, so the definitions recorded
		// before the zone was part of them still match.
		fmt.Fprintf(h, "zone %s\n", z)
	}
	return fmt.Sprintf("r%d-%x", rev, h.Sum(nil)[:8])
}

// DefinitionsIndex holds, per read model, the Definition its index was
// built by (one document per read model, its id the read model's name).
const DefinitionsIndex = "read-models"

var definitionsSchema = Schema{Name: DefinitionsIndex, Fields: map[string]FieldKind{"definition": Keyword}}

type definitionDoc struct {
	Definition string    `json:"definition"`
	RecordedAt time.Time `json:"recorded_at"`
}

// RecordedDefinition returns the Definition a read model's index was built
// by; found is false for an index built before definitions were recorded.
func RecordedDefinition(ctx context.Context, store SearchStore, name string) (def string, found bool, err error) {
	defs, err := RecordedDefinitions(ctx, store, []string{name})
	def, found = defs[name]
	return def, found, err
}

// RecordedDefinitions returns the recorded Definitions of the named read
// models (those recorded; the index is ensured once for all of them).
func RecordedDefinitions(ctx context.Context, store SearchStore, names []string) (map[string]string, error) {
	if err := store.EnsureIndex(ctx, definitionsSchema); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, name := range names {
		d, err := store.Get(ctx, DefinitionsIndex, name)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var doc definitionDoc
		if err := json.Unmarshal(d.Source, &doc); err != nil {
			return nil, fmt.Errorf("definition of %s: %w", name, err)
		}
		out[name] = doc.Definition
	}
	return out, nil
}

// RecordDefinition records the Definition a read model's index is now built by.
func RecordDefinition(ctx context.Context, store SearchStore, name, def string) error {
	return RecordDefinitions(ctx, store, map[string]string{name: def})
}

// RecordDefinitions records the Definitions of several read models at once
// (by read model name).
func RecordDefinitions(ctx context.Context, store SearchStore, defs map[string]string) error {
	if len(defs) == 0 {
		return nil
	}
	if err := store.EnsureIndex(ctx, definitionsSchema); err != nil {
		return err
	}
	now := time.Now()
	docs := make([]Document, 0, len(defs))
	for name, def := range defs {
		src, err := json.Marshal(definitionDoc{Definition: def, RecordedAt: now.UTC()})
		if err != nil {
			return err
		}
		// The version only has to grow: the time does, across servers too.
		docs = append(docs, Document{ID: name, Version: uint64(now.UnixNano()), Source: src})
	}
	return store.Write(ctx, DefinitionsIndex, docs, 0)
}
