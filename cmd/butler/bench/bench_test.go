package bench_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/cmd/butler/bench"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/httpapi"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// A small run measures every figure, each plausible.
func TestRunMeasuresEveryFigure(t *testing.T) {
	t.Parallel()
	r, err := bench.Run(context.Background(), bench.Config{Events: 3000, Dir: t.TempDir(), Duration: 300 * time.Millisecond,
		LagDuration: time.Second, LagRate: 200, Searches: 50, ExportRows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"append_eps_1", "append_eps_8", "append_eps_64", "append_raw_ratio", "http_cmds_per_s", "http_p50_ms", "http_p99_ms",
		"projection_lag_p50_ms", "projection_lag_p99_ms", "rebuild_eps", "search_p50_ms", "search_p99_ms", "peak_rss_mib", "ready_after_restart_s", "audit_verify_eps", "audit_proof_p99_ms", "cold_catch_up_eps", "http_raw_ratio",
		"export_rows_per_s", "export_peak_rss_mib"} {
		v, ok := m[k]
		if !ok || math.IsNaN(v) || v <= 0 {
			t.Errorf("%s = %v, want a positive figure", k, v)
		}
	}
	if len(m) != 20 {
		t.Errorf("the JSON object has %d keys, want the 20 documented ones: %s", len(m), b)
	}
	if r.HTTPP50ms > r.HTTPP99ms || r.SearchP50ms > r.SearchP99ms || r.LagP50ms > r.LagP99ms {
		t.Errorf("a p50 above its p99: %+v", r)
	}
	if r.Documents == 0 || r.HTTPErrors != 0 {
		t.Errorf("searched %d documents, %d HTTP errors", r.Documents, r.HTTPErrors)
	}
}

// The export phase downloads every row as XLSX and CSV through the HTTP
// API and measures the rate and the peak resident set.
func TestExportMeasuresRowsAndMemory(t *testing.T) {
	t.Parallel()
	x, err := bench.Export(context.Background(), t.TempDir(), 3000)
	if err != nil {
		t.Fatal(err)
	}
	if x.XLSXRowsPerS <= 0 || x.CSVRowsPerS <= 0 || x.PeakRSSMiB <= 0 || math.IsNaN(x.PeakRSSMiB) {
		t.Fatalf("figures missing: %+v", x)
	}
	// A CSV row of a complaint is a few hundred bytes: 3,000 rows are
	// more than 300 KB, so every row was written.
	if x.CSVBytes < 3000*100 || x.XLSXBytes < 3000*20 {
		t.Fatalf("downloads too small for 3,000 rows: %+v", x)
	}
}

// Compare finds a document that differs, is missing or is extra: the
// crash test's convergence check relies on it.
func TestCompareFindsDifferences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := bench.Generate(ctx, s, 300, func(int) {}); err != nil {
		t.Fatal(err)
	}
	ps := app.Projections(bench.Keys)
	open := func() *blevestore.Store {
		idx, err := blevestore.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		if _, err := bench.Replay(ctx, s, idx, ps, nil); err != nil {
			t.Fatal(err)
		}
		return idx
	}
	a, b := open(), open()
	if err := bench.Compare(ctx, a, b, ps); err != nil {
		t.Fatalf("two replays of one store differ: %v", err)
	}
	docs, err := bench.Dump(ctx, b, projections.ComplaintsIndex)
	if err != nil || len(docs) == 0 {
		t.Fatalf("no complaints to tamper with: %v", err)
	}
	var victim projections.Document
	for _, d := range docs {
		victim = d
		break
	}
	victim.Version += 100
	victim.Source = json.RawMessage(strings.Replace(string(victim.Source), `"status":"`, `"status":"x`, 1))
	head, _ := s.Head(ctx)
	if err := b.Write(ctx, projections.ComplaintsIndex, []projections.Document{victim, {ID: "extra", Version: 1, Source: json.RawMessage(`{"id":"extra"}`)}}, event.Position(head)); err != nil {
		t.Fatal(err)
	}
	err = bench.Compare(ctx, a, b, ps)
	if err == nil || !strings.Contains(err.Error(), victim.ID) || !strings.Contains(err.Error(), "extra") {
		t.Fatalf("Compare missed the tampered and the extra document: %v", err)
	}
}

// The raw limit grows with group commit: 64 writers share fsyncs.
func TestRawGroupCommitSharesSyncs(t *testing.T) {
	t.Parallel()
	one, err := bench.RawGroupCommit(context.Background(), t.TempDir(), 1, 600, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	many, err := bench.RawGroupCommit(context.Background(), t.TempDir(), 64, 600, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if one <= 0 || many < 2*one {
		t.Fatalf("raw writes/s: 1 writer %.0f, 64 writers %.0f; group commit should multiply the rate", one, many)
	}
}

// TestMain lets this test binary stand in for `butler serve` when the bench
// runs the server as its own process (it execs os.Args[0] with "serve").
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serveForTest(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func serveForTest(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "", "")
	data := fs.String("data", "", "")
	fs.String("policy-interval", "", "")
	fs.String("log-level", "", "")
	fs.String("rate-address", "", "")
	fs.String("rate-token", "", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	a, err := app.Start(ctx, app.Config{Addr: *addr, DataDir: *data, PolicyInterval: time.Hour, Logger: slog.New(slog.DiscardHandler),
		Limits: httpapi.Limits{AddressRate: -1, TokenRate: -1}})
	if err != nil {
		return err
	}
	<-ctx.Done()
	return a.Close(context.Background())
}

// With Server set, restart, HTTP and RSS are measured on a separate
// process: its peak RSS, not the bench's (which holds the data set's
// generation and the rebuild).
func TestRunMeasuresTheServerAsItsOwnProcess(t *testing.T) {
	t.Parallel()
	r, err := bench.Run(context.Background(), bench.Config{Events: 2000, Dir: t.TempDir(), Duration: 300 * time.Millisecond,
		LagDuration: 500 * time.Millisecond, LagRate: 200, Searches: 20, ExportRows: 2000, Server: []string{os.Args[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.ServerProcess || r.HTTPCmdsPerS <= 0 || r.HTTPErrors != 0 || r.ReadyAfterRestartS <= 0 || r.LagSamples == 0 {
		t.Fatalf("separate server: %+v", r)
	}
	if r.PeakRSSMiB <= 0 || r.RSSAnonMiB <= 0 || r.PeakRSSMiB < r.RSSAnonMiB {
		t.Fatalf("the server's memory was not read: peak %.0f MiB, anonymous at the end %.0f MiB", r.PeakRSSMiB, r.RSSAnonMiB)
	}
}
