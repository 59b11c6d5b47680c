package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
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
	gc := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gc)
	limit := debug.SetMemoryLimit(-1)
	if err := generateDemo(ctx, dir, "", "", demo.Options{Households: 150, Months: 2, Seed: 3, Until: until}, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The demo lets the heap grow further between collections; the server
	// that runs after it (serve --demo) has the collector as it was.
	if after := debug.SetGCPercent(gc); after != 100 {
		t.Errorf("GC percent after the demo %d, want 100 as before it", after)
	}
	if after := debug.SetMemoryLimit(-1); after != limit {
		t.Errorf("memory limit after the demo %d, want %d as before it", after, limit)
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

// serve --demo leaves the compaction of the read models folded beside the
// generation to the server (Config.CompactAtStart), which answers
// meanwhile: it is ready on the read models as they are, then merges each
// into one segment (how many there were depends on the background merges;
// TestCompactMergesToOneSegment shows a compaction's effect).
func TestServeDemoCompactsItsReadModelsOnceServing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	until := time.Date(2026, 3, 31, 0, 0, 0, 0, demo.Shanghai)
	o := demo.Options{Households: 150, Months: 2, Seed: 3, Until: until, Follow: foldWhileGenerating(dir, nil, false)}
	if err := generateDemo(ctx, dir, "", "", o, io.Discard); err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{DataDir: dir, Addr: "127.0.0.1:0", CompactAtStart: true}
	var log syncBuffer
	cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
	a, err := app.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(log.String(), "read models compacted") {
		if time.Now().After(deadline) || strings.Contains(log.String(), "compacting the read models failed") {
			a.Close(ctx)
			t.Fatalf("no compaction logged:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := a.Ready(ctx); err != nil {
		t.Errorf("not ready after the compaction: %v", err)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	idx, err := blevestore.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, p := range app.Projections(nil) {
		if n, err := idx.Segments(p.Name()); err != nil || n > 1 {
			t.Errorf("after the server's compaction %s has %d segments (%v), want 1", p.Name(), n, err)
		}
	}
}

// syncBuffer is a log's destination that goroutines may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
