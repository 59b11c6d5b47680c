package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/cmd/butler/bench"
	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// The demo folds its read models beside the generation: when it ends,
// every read model is at the head of the log, with the definition this code
// builds, and holds exactly what a replay of the finished log gives; the
// first start then has nothing to replay.
func TestDemoReadModelsFoldedBesideTheGeneration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	until := time.Date(2026, 3, 31, 0, 0, 0, 0, demo.Shanghai)
	if err := generateDemo(ctx, dir, "", "", demo.Options{Households: 150, Months: 2, Seed: 3, Until: until}, io.Discard); err != nil {
		t.Fatal(err)
	}

	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	head, err := s.Head(ctx)
	s.Close()
	if err != nil || head == 0 {
		t.Fatalf("head %d, %v", head, err)
	}
	idx, err := blevestore.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	ps := app.Projections(nil)
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name()
		if cp, err := idx.Checkpoint(ctx, p.Name()); err != nil || cp != head {
			t.Errorf("read model %s at %d (%v); want the head %d", p.Name(), cp, err, head)
		}
	}
	defs, err := projections.RecordedDefinitions(ctx, idx, names)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if defs[p.Name()] != projections.Definition(p) {
			t.Errorf("read model %s recorded as built by %q, not this code's %q", p.Name(), defs[p.Name()], projections.Definition(p))
		}
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bench.Converged(ctx, dir, t.TempDir()); err != nil {
		t.Fatalf("the read models folded beside the generation differ from a replay of the log:\n%v", err)
	}
}
