package blevestore

import (
	"context"
	"errors"
	"testing"

	"github.com/butler-pm/butler/projections"
)

func TestPromoteSwitchesTheReadModelAndSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	schema := projections.Schema{Name: "rm", Fields: map[string]projections.FieldKind{"status": projections.Keyword}}
	if err := s.EnsureIndex(ctx, schema); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, "rm", []projections.Document{{ID: "a", Version: 1, Source: []byte(`{"status":"old"}`)}}, 10); err != nil {
		t.Fatal(err)
	}
	gen, err := s.NewGeneration(ctx, schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, gen, []projections.Document{{ID: "b", Version: 3, Source: []byte(`{"status":"new"}`)}}, 12); err != nil {
		t.Fatal(err)
	}
	// Before the switch the read model still serves the old index.
	if _, err := s.Get(ctx, "rm", "b"); !errors.Is(err, projections.ErrNotFound) {
		t.Fatalf("the new generation is visible before promotion: %v", err)
	}
	if err := s.Promote(ctx, "rm", gen); err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		if d, err := s.Get(ctx, "rm", "b"); err != nil || d.Version != 3 {
			t.Fatalf("after promotion: %v %v", d, err)
		}
		if _, err := s.Get(ctx, "rm", "a"); !errors.Is(err, projections.ErrNotFound) {
			t.Fatalf("the old generation still serves: %v", err)
		}
		if cp, err := s.Checkpoint(ctx, "rm"); err != nil || cp != 12 {
			t.Fatalf("checkpoint after promotion = %d, %v; want the generation's 12", cp, err)
		}
		if err := s.EnsureIndex(ctx, schema); err != nil {
			t.Fatal(err)
		}
	}
	check(s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check(s)
}
