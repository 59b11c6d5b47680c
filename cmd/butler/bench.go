package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/butler-pm/butler/cmd/butler/bench"
)

// benchCmd measures Butler against its targets and prints one table (or
// one JSON object with --json).
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c bench.Config
	fs.IntVar(&c.Events, "events", 1_000_000, "events in the data set")
	fs.StringVar(&c.Dir, "dir", "", "work directory (default: a temporary one, removed afterwards)")
	fs.StringVar(&c.EventStore, "eventstore", env("BUTLER_EVENTSTORE", ""), "EventStoreDB connection string; empty: embedded (env BUTLER_EVENTSTORE)")
	fs.StringVar(&c.Elasticsearch, "elasticsearch", env("BUTLER_ELASTICSEARCH", ""), "Elasticsearch URL; empty: embedded index (env BUTLER_ELASTICSEARCH)")
	fs.StringVar(&c.IndexPrefix, "index-prefix", "butler-bench-", "Elasticsearch index name prefix (a run adds its own suffix)")
	fs.DurationVar(&c.Duration, "duration", 5*time.Second, "length of each throughput measurement")
	fs.DurationVar(&c.LagDuration, "lag-duration", 10*time.Second, "how long commands are sent at --lag-rate")
	fs.IntVar(&c.LagRate, "lag-rate", 1000, "commands per second while projection lag is measured")
	fs.IntVar(&c.Searches, "searches", 1000, "timed search queries")
	fs.StringVar(&c.ProfileDir, "profile", "", "directory for one CPU profile per phase (go tool pprof)")
	fs.BoolVar(&c.ServingOnly, "serving-only", false, "with --dir of a previous run: only restart on its data set and measure HTTP, lag and RSS")
	fs.BoolVar(&c.ExportOnly, "export-only", false, "only measure the export (export_rows_per_s) on a data set of its own")
	fs.IntVar(&c.ExportRows, "export-rows", 100_000, "rows exported by the export measurement")
	inProcess := fs.Bool("in-process", false, "run the server inside the bench process (for --profile of the server's HTTP phase) instead of as its own butler serve process")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the table")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected arguments %v", fs.Args())
	}
	if !*quiet {
		c.Progress = stderr
	}
	if !*inProcess {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: finding this binary to run butler serve: %w (or use --in-process)", err)
		}
		c.Server = []string{exe}
	}
	started := time.Now()
	r, err := bench.Run(ctx, c)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(jsonSafe(r))
	}
	host, _ := os.Hostname()
	if c.ExportOnly {
		fmt.Fprintf(stdout, "butler bench --export-only: %d rows, index embedded bleve, %d CPUs (%s), %s, took %s\n\n",
			c.ExportRows, runtime.NumCPU(), host, runtime.Version(), time.Since(started).Round(time.Second))
	} else {
		fmt.Fprintf(stdout, "butler bench: %d events, event store %s, index %s, %d CPUs (%s), %s, took %s\n\n",
			r.Events, r.EventStoreName, r.SearchName, runtime.NumCPU(), host, runtime.Version(), time.Since(started).Round(time.Second))
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "MEASURE\tVALUE\tTARGET\tMET\tNOTE")
	row := func(name string, v float64, unit, target string, met bool, note string) {
		mark := "yes"
		if !met {
			mark = "NO"
		}
		if target == "" {
			mark = ""
		}
		fmt.Fprintf(w, "%s\t%s %s\t%s\t%s\t%s\n", name, num(v), unit, target, mark, note)
	}
	if !c.ExportOnly { // --export-only measures the export alone
		row("durable appends, 1 writer", r.AppendEPS1, "events/s", "", true, "one fsync per event")
		row("durable appends, 8 writers", r.AppendEPS8, "events/s", "", true, "")
		row("durable appends, 64 writers", r.AppendEPS64, "events/s", "≥ 20,000", r.AppendEPS64 >= 20000,
			fmt.Sprintf("with the audit log following; without: %s (%.0f%%)", num(r.AppendEPS64Unaudited), 100*r.AppendEPS64/r.AppendEPS64Unaudited))
		row("  share of raw group-commit limit", 100*r.AppendRawRatio, "%", "≥ 50%", r.AppendRawRatio >= 0.5,
			fmt.Sprintf("raw: %s writes/s of %.0f B, 64 writers", num(r.RawEPS64), r.BytesPerEvent))
		row("HTTP commands, 64 clients", r.HTTPCmdsPerS, "/s", "≥ 3,000", r.HTTPCmdsPerS >= 3000, fmt.Sprintf("%d errors", r.HTTPErrors))
		row("  share of raw group-commit limit", 100*r.HTTPRawRatio, "%", "", true, "HTTP commands/s over the raw limit above: a ratio holds across machines")
		row("  p50 latency", r.HTTPP50ms, "ms", "", true, "")
		row("  p99 latency", r.HTTPP99ms, "ms", "≤ 25 ms", r.HTTPP99ms <= 25, "as fast as the 64 clients can")
		row("  p99 at 3,000 commands/s", r.HTTPPacedP99ms, "ms", "≤ 25 ms", r.HTTPPacedP99ms <= 25,
			fmt.Sprintf("64 clients sending %s/s in all (p50 %s ms), from when each was due", num(r.HTTPPacedRate), num(r.HTTPPacedP50ms)))
		row("projection lag p50", r.LagP50ms, "ms", "", true, fmt.Sprintf("at %s commands/s, %d samples", num(r.LagRate), r.LagSamples))
		row("projection lag p99", r.LagP99ms, "ms", "≤ 200 ms", r.LagP99ms <= 200, "commit to searchable in every read model")
		rebuildNote := fmt.Sprintf("%.1f s for %d events", r.RebuildSeconds, r.Events)
		if r.SearchName != "Elasticsearch" {
			rebuildNote += fmt.Sprintf("; then compacted to one segment per index in %.1f s", r.CompactSeconds)
		}
		row("rebuild of all read models", r.RebuildEPS, "events/s", "≤ 60 s", r.RebuildSeconds <= 60, rebuildNote)
		row("search p50", r.SearchP50ms, "ms", "", true, fmt.Sprintf("text + filters + date range over %d documents", r.Documents))
		row("search p99", r.SearchP99ms, "ms", "≤ 30 ms", r.SearchP99ms <= 30, "")
		row("peak RSS", r.PeakRSSMiB, "MiB", "≤ 512 MiB", r.PeakRSSMiB <= 512, rssNote(r))
		row("audit verify", r.AuditVerifyEPS, "events/s", "≥ 100,000", r.AuditVerifyEPS >= 100000, "every event read, hashed, the tree and its checkpoints checked")
		row("record proof p99", r.AuditProofP99ms, "ms", "≤ 50 ms", r.AuditProofP99ms <= 50,
			fmt.Sprintf("p50 %s ms; a record's events and their inclusion proofs, without HTTP", num(r.AuditProofP50ms)))
		row("cold catch-up (no index)", r.ColdCatchUpEPS, "events/s", "≥ 0.8 × rebuild", r.ColdCatchUpEPS >= 0.8*r.RebuildEPS,
			"first start with no index: the read models replayed in bulk, then live")
		row("ready after restart", r.ReadyAfterRestartS, "s", "≤ 5 s", r.ReadyAfterRestartS <= 5, fmt.Sprintf("with %d events", r.Events))
	}
	x := r.Export
	row("export (XLSX)", r.ExportRowsPerS, "rows/s", "100,000 in ≤ 10 s", x.XLSXSeconds > 0 && float64(x.Rows)/r.ExportRowsPerS <= 10 && x.Rows >= 100_000,
		fmt.Sprintf("%d complaints over HTTP in %.1f s (%.1f s of CPU, server and client), owners joined; CSV: %s rows/s (%.1f s of CPU)",
			x.Rows, x.XLSXSeconds, x.XLSXCPUSeconds, num(x.CSVRowsPerS), x.CSVCPUSeconds))
	row("  peak RSS while exporting", r.ExportPeakRSSMiB, "MiB", "≤ 512 MiB", r.ExportPeakRSSMiB <= 512,
		fmt.Sprintf("the bench process (server and client); %.0f MiB before the exports", x.BaselineMiB))
	if err := w.Flush(); err != nil {
		return err
	}
	if c.ExportOnly {
		return nil
	}
	_, err = fmt.Fprintf(stdout, "\nThe data set was written through the command handlers at %s events/s.\n", num(r.GenerateEPS))
	return err
}

// rssNote says what the peak RSS covers.
func rssNote(r bench.Result) string {
	what := "restart, HTTP and lag phases, server and clients in one process"
	if r.ServerProcess {
		what = "butler serve as its own process: restart and HTTP phase"
	}
	return fmt.Sprintf("%s; at the end %.0f MiB anonymous + %.0f MiB mapped files", what, r.RSSAnonMiB, r.RSSFileMiB)
}

func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v >= 100:
		return commas(int64(math.Round(v)))
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	out := ""
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out += ","
		}
		out += string(c)
	}
	return out
}

// jsonSafe replaces NaN (not measured) by null.
func jsonSafe(r bench.Result) map[string]any {
	out := map[string]any{}
	add := func(k string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out[k] = nil
			return
		}
		out[k] = math.Round(v*1000) / 1000
	}
	add("append_eps_1", r.AppendEPS1)
	add("append_eps_8", r.AppendEPS8)
	add("append_eps_64", r.AppendEPS64)
	add("append_raw_ratio", r.AppendRawRatio)
	add("http_cmds_per_s", r.HTTPCmdsPerS)
	add("http_p50_ms", r.HTTPP50ms)
	add("http_p99_ms", r.HTTPP99ms)
	add("projection_lag_p50_ms", r.LagP50ms)
	add("projection_lag_p99_ms", r.LagP99ms)
	add("rebuild_eps", r.RebuildEPS)
	add("search_p50_ms", r.SearchP50ms)
	add("search_p99_ms", r.SearchP99ms)
	add("peak_rss_mib", r.PeakRSSMiB)
	add("ready_after_restart_s", r.ReadyAfterRestartS)
	add("audit_verify_eps", r.AuditVerifyEPS)
	add("cold_catch_up_eps", r.ColdCatchUpEPS)
	add("http_raw_ratio", r.HTTPRawRatio)
	add("audit_proof_p99_ms", r.AuditProofP99ms)
	return out
}
