package blevestore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/projections/searchtest"
)

func openStore(t *testing.T) *blevestore.Store {
	t.Helper()
	s, err := blevestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, func(t *testing.T) projections.SearchStore { return openStore(t) })
}

// The in-memory store (KPIs as of a moment search it) answers as the one on disk.
func TestContractInMemory(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, func(t *testing.T) projections.SearchStore {
		s := blevestore.OpenMemory()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

var schema = projections.Schema{Name: "complaints", Fields: map[string]projections.FieldKind{
	"description": projections.Text,
	"status":      projections.Keyword,
}}

func TestReopenKeepsDocumentsCheckpointAndSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := blevestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureIndex(ctx, schema); err != nil {
		t.Fatal(err)
	}
	src := json.RawMessage(`{"description":"业主反映楼上卫生间漏水","status":"open"}`)
	if err := s.Write(ctx, "complaints", []projections.Document{{ID: "c1", Version: 4, Source: src}}, 99); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, "complaints", nil, 100); err == nil {
		t.Error("Write after Close succeeded, want an error")
	}

	s, err = blevestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// No EnsureIndex: the schema was persisted with the index.
	cp, err := s.Checkpoint(ctx, "complaints")
	if err != nil || cp != 99 {
		t.Errorf("Checkpoint after reopen = %d, %v; want 99", cp, err)
	}
	d, err := s.Get(ctx, "complaints", "c1")
	if err != nil || d.Version != 4 {
		t.Fatalf("Get after reopen = %+v, %v", d, err)
	}
	r, err := s.Search(ctx, "complaints", projections.Query{Text: "漏水", Terms: map[string][]string{"status": {"open"}}})
	if err != nil || r.Total != 1 {
		t.Errorf("Search after reopen = %+v, %v; want 1 hit", r, err)
	}
	// The stored version still guards against replays after a restart.
	stale := json.RawMessage(`{"description":"旧","status":"closed"}`)
	if err := s.Write(ctx, "complaints", []projections.Document{{ID: "c1", Version: 3, Source: stale}}, 100); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Get(ctx, "complaints", "c1"); d.Version != 4 {
		t.Errorf("stale write after reopen replaced the document: version %d", d.Version)
	}
}

func TestRejectsBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	if err := s.EnsureIndex(ctx, projections.Schema{Name: "../escape"}); err == nil {
		t.Error("EnsureIndex accepted an index name with a path separator")
	}
	if err := s.EnsureIndex(ctx, projections.Schema{Name: "x", Fields: map[string]projections.FieldKind{"_text": projections.Text}}); err == nil {
		t.Error("EnsureIndex accepted a reserved field name")
	}
	if err := s.EnsureIndex(ctx, schema); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, "nosuch", nil, 1); !errors.Is(err, projections.ErrNotFound) {
		t.Errorf("Write to a missing index = %v, want ErrNotFound", err)
	}
	bad := []projections.Document{{ID: "c1", Version: 1, Source: json.RawMessage(`{"status": {"nested": 1}}`)}}
	if err := s.Write(ctx, "complaints", bad, 5); err == nil {
		t.Error("Write accepted an object in a keyword field")
	}
	// The failed write must not have advanced the checkpoint.
	if cp, _ := s.Checkpoint(ctx, "complaints"); cp != 0 {
		t.Errorf("Checkpoint after a failed write = %d, want 0", cp)
	}
	for _, q := range []projections.Query{
		{Terms: map[string][]string{"description": {"x"}}},
		{Sort: []projections.Sort{{Field: "description"}}},
		{Facets: []string{"unknown"}},
		{After: "not a cursor"},
		{Ranges: []projections.Range{{Field: "status", Min: 1.0}}},
	} {
		if _, err := s.Search(ctx, "complaints", q); err == nil {
			t.Errorf("Search(%+v) succeeded, want an error", q)
		}
	}
}

func TestConcurrentWritersKeepTheNewestVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	if err := s.EnsureIndex(ctx, schema); err != nil {
		t.Fatal(err)
	}
	// Writers race versions of the same documents on one index: the newest
	// version must win, and -race checks the store's shared state. (Removing
	// the per-index write lock did not make this fail in practice: scorch's
	// fsync wait dwarfs the check-then-write window. The lock is still what
	// guarantees it.)
	const writers, versions, ids = 4, 40, 100
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for v := w + 1; v <= versions; v += writers {
				docs := make([]projections.Document, ids)
				for i := range docs {
					docs[i] = projections.Document{ID: fmt.Sprintf("c%d", i), Version: uint64(v), Source: json.RawMessage(fmt.Sprintf(`{"status":"v%d"}`, v))}
				}
				if err := s.Write(ctx, "complaints", docs, 1); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for i := range ids {
		d, err := s.Get(ctx, "complaints", fmt.Sprintf("c%d", i))
		if err != nil || d.Version != versions || string(d.Source) != fmt.Sprintf(`{"status":"v%d"}`, versions) {
			t.Fatalf("Get(c%d) = version %d %s, %v; want version %d", i, d.Version, d.Source, err, versions)
		}
	}
}

func TestDateOnlyValuesAreMidnightUTC(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	sc := projections.Schema{Name: "visits", Fields: map[string]projections.FieldKind{"day": projections.Date}}
	if err := s.EnsureIndex(ctx, sc); err != nil {
		t.Fatal(err)
	}
	docs := []projections.Document{
		{ID: "a", Version: 1, Source: json.RawMessage(`{"day":"2026-06-01"}`)},
		{ID: "b", Version: 1, Source: json.RawMessage(`{"day":"2026-06-02"}`)},
	}
	if err := s.Write(ctx, "visits", docs, 1); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	r, err := s.Search(ctx, "visits", projections.Query{Ranges: []projections.Range{projections.TimeRange("day", day, day.Add(time.Hour))}})
	if err != nil || r.Total != 1 || r.Hits[0].ID != "b" {
		t.Errorf("Search = %+v, %v; want only b", r, err)
	}
	bad := []projections.Document{{ID: "c", Version: 1, Source: json.RawMessage(`{"day":"next tuesday"}`)}}
	if err := s.Write(ctx, "visits", bad, 2); err == nil {
		t.Error("Write accepted an unparsable date")
	}
}

// A rebuild compacts its new index: many batches' segments become one, and
// the index answers the same before and after.
func TestCompactMergesToOneSegment(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openStore(t)
	if err := s.EnsureIndex(ctx, schema); err != nil {
		t.Fatal(err)
	}
	// scorch merges in the background: write batches until the index has
	// several segments, so that compaction has something to do.
	var before, batches int
	for batches < 8 || (before < 2 && batches < 64) {
		var docs []projections.Document
		for i := range 20 {
			id := fmt.Sprintf("c%d-%d", batches, i)
			docs = append(docs, projections.Document{ID: id, Version: 1,
				Source: json.RawMessage(fmt.Sprintf(`{"description":"第%d批 楼道灯不亮","status":"open"}`, batches))})
		}
		if err := s.Write(ctx, "complaints", docs, 0); err != nil {
			t.Fatal(err)
		}
		batches++
		var err error
		if before, err = s.Segments("complaints"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Compact(ctx, "complaints"); err != nil {
		t.Fatal(err)
	}
	after, err := s.Segments("complaints")
	if err != nil {
		t.Fatal(err)
	}
	if before < 2 || after != 1 {
		t.Errorf("segments before %d, after %d; want several, then 1", before, after)
	}
	res, err := s.Search(ctx, "complaints", projections.Query{Text: "楼道", Size: 1})
	if err != nil || res.Total != 20*batches {
		t.Errorf("search after compaction: %d hits (err %v), want %d", res.Total, err, 20*batches)
	}
	if err := s.Compact(ctx, "nothing"); !errors.Is(err, projections.ErrNotFound) {
		t.Errorf("compacting a missing index: %v, want not found", err)
	}
}
