package elasticstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/projections/searchtest"
)

const urlEnv = "BUTLER_TEST_ELASTICSEARCH_URL"

// openReal connects to the node named by BUTLER_TEST_ELASTICSEARCH_URL with
// a random prefix, and deletes that prefix's indices afterwards.
func openReal(t *testing.T) *Store {
	t.Helper()
	u := os.Getenv(urlEnv)
	if u == "" {
		t.Skip("SKIPPED: no Elasticsearch. " + urlEnv + " is not set, so the Elasticsearch adapter was NOT tested. " +
			"Start one with: export " + urlEnv + "=$(test/elasticsearch/start)   (stop: test/elasticsearch/stop)")
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	prefix := "t" + hex.EncodeToString(b[:]) + "-"
	s, err := Open(t.Context(), u, WithPrefix(prefix))
	if err != nil {
		t.Fatalf("Open(%s): %v", u, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, resp, err := s.do(ctx, http.MethodGet, "/_cat/indices/"+prefix+"*?format=json&h=index", nil, "")
		if err != nil {
			t.Logf("cleanup: listing %s*: %v", prefix, err)
			return
		}
		var rows []struct{ Index string }
		_ = json.Unmarshal(resp, &rows)
		var names []string
		for _, r := range rows {
			names = append(names, r.Index)
		}
		if len(names) > 0 {
			if _, _, err := s.do(ctx, http.MethodDelete, "/"+strings.Join(names, ","), nil, ""); err != nil {
				t.Logf("cleanup: deleting %v: %v", names, err)
			}
		}
	})
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	s := openReal(t)
	searchtest.Run(t, func(t *testing.T) projections.SearchStore { return s })
}

var complaintSchema = projections.Schema{Name: "complaints", Fields: map[string]projections.FieldKind{
	"title": projections.Text, "status": projections.Keyword,
}}

func mustWrite(t *testing.T, s *Store, index string, cp uint64, docs ...projections.Document) {
	t.Helper()
	if err := s.Write(t.Context(), index, docs, eventPos(cp)); err != nil {
		t.Fatalf("Write(%s): %v", index, err)
	}
}

func waitIDs(t *testing.T, s *Store, index string, q projections.Query, want ...string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		r, err := s.Search(t.Context(), index, q)
		if err != nil {
			t.Fatalf("Search(%s): %v", index, err)
		}
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.ID)
		}
		if strings.Join(got, ",") == strings.Join(want, ",") && r.Total == len(want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Search(%s, %+v) = %v (total %d), want %v", index, q, got, r.Total, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func src(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A rebuild writes a new generation while the alias keeps serving the old
// one; the swap switches readers, writers and the checkpoint at once.
func TestGenerationsSwapAtomically(t *testing.T) {
	t.Parallel()
	s := openReal(t)
	ctx := t.Context()
	if err := s.EnsureIndex(ctx, complaintSchema); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, "complaints", 10, projections.Document{ID: "old", Version: 1, Source: src(t, map[string]string{"title": "旧的漏水投诉"})})

	gen, err := s.NewGeneration(ctx, complaintSchema)
	if err != nil {
		t.Fatal(err)
	}
	if want := "complaints-000002"; gen != want {
		t.Errorf("NewGeneration = %q, want %q", gen, want)
	}
	mustWrite(t, s, gen, 20, projections.Document{ID: "new", Version: 1, Source: src(t, map[string]string{"title": "新的漏水投诉"})})
	waitIDs(t, s, gen, projections.Query{Text: "漏水"}, "new")
	// Readers of the read model still see the old generation.
	waitIDs(t, s, "complaints", projections.Query{Text: "漏水"}, "old")
	if cp, _ := s.Checkpoint(ctx, "complaints"); cp != 10 {
		t.Errorf("live checkpoint before the swap = %d, want 10", cp)
	}

	if err := s.Promote(ctx, "complaints", gen); err != nil {
		t.Fatal(err)
	}
	waitIDs(t, s, "complaints", projections.Query{Text: "漏水"}, "new")
	if cp, _ := s.Checkpoint(ctx, "complaints"); cp != 20 {
		t.Errorf("checkpoint after the swap = %d, want 20 (the new generation's)", cp)
	}
	if _, err := s.Get(ctx, "complaints", "old"); !errors.Is(err, projections.ErrNotFound) {
		t.Errorf("Get(old) after the swap: %v, want ErrNotFound", err)
	}
	// Writes through the read model's name land in the new generation.
	mustWrite(t, s, "complaints", 21, projections.Document{ID: "later", Version: 1, Source: src(t, map[string]string{"title": "漏水又来了"})})
	if _, err := s.Get(ctx, gen, "later"); err != nil {
		t.Errorf("Get(%s, later): %v", gen, err)
	}

	// A third generation: the first is deleted, the second kept as fallback.
	gen3, err := s.NewGeneration(ctx, complaintSchema)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Promote(ctx, "complaints", gen3); err != nil {
		t.Fatal(err)
	}
	gens, err := s.generations(ctx, s.Alias("complaints"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gens {
		names = append(names, strings.TrimPrefix(g.name, s.prefix))
	}
	if strings.Join(names, ",") != "complaints-000002,complaints-000003" {
		t.Errorf("generations after two promotions = %v, want complaints-000002 and -000003", names)
	}
	waitIDs(t, s, "complaints", projections.Query{}) // empty new generation
}

func TestEnsureIndexEvolvesOrRefusesMapping(t *testing.T) {
	t.Parallel()
	s := openReal(t)
	ctx := t.Context()
	if err := s.EnsureIndex(ctx, complaintSchema); err != nil {
		t.Fatal(err)
	}
	grown := projections.Schema{Name: "complaints", Fields: map[string]projections.FieldKind{
		"title": projections.Text, "status": projections.Keyword, "district": projections.Keyword,
	}}
	if err := s.EnsureIndex(ctx, grown); err != nil {
		t.Fatalf("adding a field: %v", err)
	}
	mustWrite(t, s, "complaints", 1, projections.Document{ID: "c1", Version: 1, Source: src(t, map[string]string{"district": "d7"})})
	waitIDs(t, s, "complaints", projections.Query{Terms: map[string][]string{"district": {"d7"}}}, "c1")

	changed := projections.Schema{Name: "complaints", Fields: map[string]projections.FieldKind{
		"title": projections.Keyword, "status": projections.Keyword,
	}}
	if err := s.EnsureIndex(ctx, changed); err == nil {
		t.Error("changing a field from text to keyword in place succeeded, want an error asking for a rebuild")
	}
}

// A document that breaks a field's type is still stored (ignore_malformed)
// rather than stalling its projection.
func TestMalformedValuesDoNotFailWrites(t *testing.T) {
	t.Parallel()
	s := openReal(t)
	ctx := t.Context()
	schema := projections.Schema{Name: "odd", Fields: map[string]projections.FieldKind{
		"at": projections.Date, "n": projections.Number,
	}}
	if err := s.EnsureIndex(ctx, schema); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, "odd", 1,
		projections.Document{ID: "pre1970", Version: 1, Source: src(t, map[string]any{"at": "1960-01-01T00:00:00Z", "n": "many"})},
		projections.Document{ID: "fine", Version: 1, Source: src(t, map[string]any{"at": "2026-01-01T00:00:00Z", "n": 3})},
	)
	if _, err := s.Get(ctx, "odd", "pre1970"); err != nil {
		t.Errorf("Get(pre1970): %v", err)
	}
	waitIDs(t, s, "odd", projections.Query{Ranges: []projections.Range{{Field: "n", Min: 1.0}}}, "fine")
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	s := openReal(t)
	ctx := t.Context()
	if _, err := s.Search(ctx, "absent", projections.Query{}); !errors.Is(err, projections.ErrNotFound) {
		t.Errorf("Search(missing index) = %v, want ErrNotFound", err)
	}
	if err := s.EnsureIndex(ctx, complaintSchema); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Search(ctx, "complaints", projections.Query{Sort: []projections.Sort{{Field: "title"}}}); err == nil {
		t.Error("sorting on a text field succeeded, want an error")
	}
	if cp, err := s.Checkpoint(ctx, "absent"); err != nil || cp != 0 {
		t.Errorf("Checkpoint(missing index) = %d, %v; want 0, nil", cp, err)
	}
}
