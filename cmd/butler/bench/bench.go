package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
	"github.com/butler-pm/butler/infra/httpapi"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	elasticstore "github.com/butler-pm/butler/infra/search/elastic"
	"github.com/butler-pm/butler/projections"
)

// Config is one benchmark run.
type Config struct {
	// Events is the size of the data set (default 1,000,000).
	Events int
	// Dir holds the stores (default: a new temporary directory, removed after).
	Dir string
	// EventStore and Elasticsearch select real engines (default: embedded).
	EventStore, Elasticsearch, IndexPrefix string
	// Duration of each throughput measurement (default 5 s).
	Duration time.Duration
	// LagDuration is how long commands are sent at LagRate (default 10 s at 1,000/s).
	LagDuration time.Duration
	LagRate     int
	// Searches is the number of timed search queries (default 1,000).
	Searches int
	// ProfileDir, when set, receives one CPU profile per phase
	// (appends.pprof, generate.pprof, rebuild.pprof, search.pprof, restart.pprof,
	// http.pprof, lag.pprof).
	ProfileDir string
	// Server, when set, is the butler command (binary and leading
	// arguments) the restart and the HTTP phase run as a separate
	// `serve` process, whose peak RSS is then the one reported; nil runs
	// the server inside the bench process. The projection lag is always
	// measured in-process (it reads every runner's checkpoint).
	Server []string
	// ServingOnly skips to the restart on the data set a previous run left
	// in Dir (Dir/data): for quick iterations on the serving figures. The
	// data set grows by the commands each run sends.
	ServingOnly bool
	// ExportOnly measures the export alone (export_rows_per_s) on a data
	// set of its own; ExportRows is its size (default 100,000).
	ExportOnly bool
	ExportRows int
	// Progress receives one line per phase; nil: silent.
	Progress io.Writer
	Logger   *slog.Logger
}

func (c *Config) defaults() {
	if c.Events <= 0 {
		c.Events = 1_000_000
	}
	if c.Duration <= 0 {
		c.Duration = 5 * time.Second
	}
	if c.LagDuration <= 0 {
		c.LagDuration = 10 * time.Second
	}
	if c.LagRate <= 0 {
		c.LagRate = 1000
	}
	if c.Searches <= 0 {
		c.Searches = 1000
	}
	if c.ExportRows <= 0 {
		c.ExportRows = 100_000
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Result holds every figure; the JSON keys are the documented ones.
type Result struct {
	AppendEPS1         float64 `json:"append_eps_1"`
	AppendEPS8         float64 `json:"append_eps_8"`
	AppendEPS64        float64 `json:"append_eps_64"`
	AppendRawRatio     float64 `json:"append_raw_ratio"`
	HTTPCmdsPerS       float64 `json:"http_cmds_per_s"`
	HTTPP50ms          float64 `json:"http_p50_ms"`
	HTTPP99ms          float64 `json:"http_p99_ms"`
	LagP50ms           float64 `json:"projection_lag_p50_ms"`
	LagP99ms           float64 `json:"projection_lag_p99_ms"`
	RebuildEPS         float64 `json:"rebuild_eps"`
	SearchP50ms        float64 `json:"search_p50_ms"`
	SearchP99ms        float64 `json:"search_p99_ms"`
	PeakRSSMiB         float64 `json:"peak_rss_mib"`
	ReadyAfterRestartS float64 `json:"ready_after_restart_s"`
	AuditVerifyEPS     float64 `json:"audit_verify_eps"`
	ColdCatchUpEPS     float64 `json:"cold_catch_up_eps"`
	// HTTPRawRatio is http_cmds_per_s over the raw group-commit limit of the
	// same run: a ratio holds across machines better than a rate.
	HTTPRawRatio    float64 `json:"http_raw_ratio"`
	AuditProofP99ms float64 `json:"audit_proof_p99_ms"`
	// ExportRowsPerS is an XLSX export of ExportRows complaints through
	// the HTTP API, as the client reads it; ExportPeakRSSMiB the process's
	// peak resident set meanwhile.
	ExportRowsPerS   float64      `json:"export_rows_per_s"`
	ExportPeakRSSMiB float64      `json:"export_peak_rss_mib"`
	Export           ExportResult `json:"-"`

	// Context for the table (not in the JSON object).
	Events         int     `json:"-"`
	RawEPS64       float64 `json:"-"`
	BytesPerEvent  float64 `json:"-"`
	HTTPErrors     int     `json:"-"`
	LagRate        float64 `json:"-"`
	LagSamples     int     `json:"-"`
	RebuildSeconds float64 `json:"-"`
	CompactSeconds float64 `json:"-"` // after the rebuild: merging each new index into one segment
	Documents      int     `json:"-"`
	GenerateEPS    float64 `json:"-"`
	RSSAnonMiB     float64 `json:"-"` // at the end of the serving phases: heap and stacks
	RSSFileMiB     float64 `json:"-"` // at the end: mapped files (bleve segments, binary)
	// HTTP latency with 64 clients sending 3,000 commands/s in all (the
	// target's rate) rather than as fast as they can.
	HTTPPacedRate  float64 `json:"-"`
	HTTPPacedP50ms float64 `json:"-"`
	HTTPPacedP99ms float64 `json:"-"`
	ServerProcess  bool    `json:"-"` // the restart, HTTP and RSS figures are of a separate serve process
	// IndexSettleSeconds is how long the index kept merging segments after
	// the rebuild and the searches, before the restart.
	IndexSettleSeconds float64 `json:"-"`
	AuditProofP50ms    float64 `json:"-"`
	// AppendEPS64Unaudited is append_eps_64 without the verifiable log
	// following the store (the append figures are measured with it).
	AppendEPS64Unaudited float64 `json:"-"`
	EventStoreName       string  `json:"-"`
	SearchName           string  `json:"-"`
}

// Run measures everything, in an order that keeps each figure honest:
// appends on fresh stores; the data set; the rebuild into a fresh index;
// searches on it; then a restart of the whole program on that data, with
// HTTP commands and projection lag measured on it, and the peak RSS of
// that serving phase.
func Run(ctx context.Context, c Config) (Result, error) {
	c.defaults()
	r := Result{Events: c.Events, EventStoreName: "embedded", SearchName: "embedded bleve"}
	if c.EventStore != "" {
		r.EventStoreName = "EventStoreDB"
	}
	if c.Elasticsearch != "" {
		r.SearchName = "Elasticsearch"
		if c.IndexPrefix == "" {
			c.IndexPrefix = "butler-bench-"
		}
		// Each run gets indices of its own, so runs never mix documents.
		c.IndexPrefix += strconv.FormatInt(time.Now().Unix(), 36) + "-"
	}
	if c.Dir == "" {
		d, err := os.MkdirTemp("", "butler-bench")
		if err != nil {
			return r, err
		}
		defer os.RemoveAll(d)
		c.Dir = d
	}
	say := func(format string, a ...any) { fmt.Fprintf(c.Progress, "bench: "+format+"\n", a...) }
	if c.ExportOnly {
		return r, c.export(ctx, &r, say)
	}
	if c.ServingOnly {
		dataDir := filepath.Join(c.Dir, "data")
		if _, err := os.Stat(filepath.Join(dataDir, "events")); err != nil {
			return r, fmt.Errorf("bench: serving only: no data set of a previous run in %s: %w", c.Dir, err)
		}
		r.HTTPRawRatio = math.NaN() // no raw limit measured in this run
		return r, c.serving(ctx, dataDir, &r, say)
	}

	// 1. Durable appends and the raw group-commit limit of the same disk.
	stopProfile := c.profile("appends")
	for _, w := range []int{1, 8, 64} {
		eps, bpe, err := c.appends(ctx, w, true)
		if err != nil {
			return r, fmt.Errorf("appends with %d writers: %w", w, err)
		}
		say("appends, %d writers: %.0f events/s", w, eps)
		switch w {
		case 1:
			r.AppendEPS1 = eps
		case 8:
			r.AppendEPS8 = eps
		case 64:
			r.AppendEPS64 = eps
			r.BytesPerEvent = bpe
		}
	}
	// The same without the verifiable log following: what it costs.
	var err error
	if r.AppendEPS64Unaudited, _, err = c.appends(ctx, 64, false); err != nil {
		return r, fmt.Errorf("appends without the audit log: %w", err)
	}
	say("appends, 64 writers, no audit log following: %.0f events/s", r.AppendEPS64Unaudited)
	raw, err := RawGroupCommit(ctx, filepath.Join(c.Dir, "raw"), 64, int(math.Ceil(r.BytesPerEvent)), c.Duration)
	if err != nil {
		return r, fmt.Errorf("raw disk limit: %w", err)
	}
	stopProfile()
	r.RawEPS64 = raw
	if raw > 0 {
		r.AppendRawRatio = r.AppendEPS64 / raw
	}
	say("raw group-commit limit, 64 writers, %.0f bytes each: %.0f writes/s (store at %.0f%%)", r.BytesPerEvent, raw, 100*r.AppendRawRatio)

	// 2. The data set.
	dataDir := filepath.Join(c.Dir, "data")
	events, err := c.openEvents(ctx, filepath.Join(dataDir, "events"))
	if err != nil {
		return r, err
	}
	start := time.Now()
	stopProfile = c.profile("generate")
	if err := Generate(ctx, events, c.Events, func(n int) { say("generating: %d of %d events", n, c.Events) }); err != nil {
		events.Close()
		return r, fmt.Errorf("generating %d events: %w", c.Events, err)
	}
	stopProfile()
	r.GenerateEPS = float64(c.Events) / time.Since(start).Seconds()
	say("generated %d events through the command handlers in %s", c.Events, time.Since(start).Round(time.Millisecond))

	// 3. The verifiable log: a whole verification, then proofs of records
	// (which leaves the server's tree and a checkpoint in the data set).
	stopProfile = c.profile("audit")
	if r.AuditVerifyEPS, err = auditVerify(ctx, events, dataDir); err != nil {
		events.Close()
		return r, err
	}
	say("audit verify: %.0f events/s", r.AuditVerifyEPS)
	proofs, err := auditProofs(ctx, events, dataDir, 1000)
	if err != nil {
		events.Close()
		return r, fmt.Errorf("audit proofs: %w", err)
	}
	stopProfile()
	r.AuditProofP50ms, r.AuditProofP99ms = percentile(proofs, 50), percentile(proofs, 99)
	say("record proofs: p50 %.2f ms, p99 %.2f ms (%d records)", r.AuditProofP50ms, r.AuditProofP99ms, len(proofs))

	// 4. Rebuild every read model from $all into a fresh index.
	idx, err := c.openSearch(ctx, filepath.Join(dataDir, "index"))
	if err != nil {
		events.Close()
		return r, err
	}
	runtime.GC()
	start = time.Now()
	stopProfile = c.profile("rebuild")
	n, err := Replay(ctx, events, idx, app.Projections(Keys), c.Logger)
	if err != nil {
		idx.Close()
		events.Close()
		return r, fmt.Errorf("rebuild: %w", err)
	}
	stopProfile()
	r.RebuildSeconds = time.Since(start).Seconds()
	r.RebuildEPS = float64(n) / r.RebuildSeconds
	say("rebuilt every read model from %d events in %.1f s", n, r.RebuildSeconds)
	// Then each index is merged into one segment, as a rebuild does before
	// it switches (projections.Runner.Rebuild), while the old read model
	// still answers. It replaces the background merges that would
	// otherwise follow a replay (see "index settled" below), and is
	// reported on its own.
	start = time.Now()
	stopProfile = c.profile("compact")
	if err := Compact(ctx, idx, app.Projections(Keys)); err != nil {
		idx.Close()
		events.Close()
		return r, fmt.Errorf("compacting the rebuilt indexes: %w", err)
	}
	stopProfile()
	r.CompactSeconds = time.Since(start).Seconds()
	say("compacted every rebuilt index to one segment in %.1f s", r.CompactSeconds)

	// 5. Search latency on the rebuilt index.
	stopProfile = c.profile("search")
	lat, docs, err := Search(ctx, idx, c.Searches)
	stopProfile()
	if err != nil {
		idx.Close()
		events.Close()
		return r, fmt.Errorf("search: %w", err)
	}
	r.Documents = docs
	r.SearchP50ms, r.SearchP99ms = percentile(lat, 50), percentile(lat, 99)
	say("search over %d documents: p50 %.2f ms, p99 %.2f ms", docs, r.SearchP50ms, r.SearchP99ms)
	// The rebuild leaves many index segments that the index merges in the
	// background; closing now would hand that work to the restarted server
	// and measure its commands against a merge backlog no steady server
	// has. Keep the index open until its segment files stop changing.
	if c.Elasticsearch == "" {
		settled, err := settleIndex(ctx, filepath.Join(dataDir, "index"), 3*time.Second, 5*time.Minute)
		if err != nil {
			idx.Close()
			events.Close()
			return r, err
		}
		r.IndexSettleSeconds = settled.Seconds()
		say("index merges after the rebuild settled in %.1f s", r.IndexSettleSeconds)
	}
	if err := errors.Join(idx.Close(), events.Close()); err != nil {
		return r, err
	}

	// 6. A first start on the data with no index: the read models' cold
	// catch-up (the embedded index only; on Elasticsearch the indices are
	// the run's, shared).
	if c.Elasticsearch == "" {
		stopProfile = c.profile("cold")
		r.ColdCatchUpEPS, err = c.coldCatchUp(ctx, dataDir, say)
		stopProfile()
		if err != nil {
			return r, err
		}
	} else {
		r.ColdCatchUpEPS = math.NaN()
	}

	// 7. Restart the program on the data; then HTTP commands and lag.
	runtime.GC()
	debug.FreeOSMemory()
	if err := c.serving(ctx, dataDir, &r, say); err != nil {
		return r, err
	}
	if r.RawEPS64 > 0 {
		r.HTTPRawRatio = r.HTTPCmdsPerS / r.RawEPS64
	}
	// 8. An export of a list as a spreadsheet.
	runtime.GC()
	debug.FreeOSMemory()
	return r, c.export(ctx, &r, say)
}

// export measures export_rows_per_s and the peak RSS meanwhile.
func (c *Config) export(ctx context.Context, r *Result, say func(string, ...any)) error {
	stopProfile := c.profile("export")
	x, err := Export(ctx, c.Dir, c.ExportRows)
	stopProfile()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	r.Export, r.ExportRowsPerS, r.ExportPeakRSSMiB = x, x.XLSXRowsPerS, x.PeakRSSMiB
	say("export of %d complaints: XLSX %.0f rows/s (%.1f s, %.1f CPU s, %d bytes), CSV %.0f rows/s (%.1f s, %.1f CPU s, %d bytes); peak RSS %.0f MiB (before: %.0f MiB)",
		x.Rows, x.XLSXRowsPerS, x.XLSXSeconds, x.XLSXCPUSeconds, x.XLSXBytes, x.CSVRowsPerS, x.CSVSeconds, x.CSVCPUSeconds, x.CSVBytes,
		x.PeakRSSMiB, x.BaselineMiB)
	return nil
}

// searchStore is a read-model store the bench can close.
type searchStore interface {
	projections.SearchStore
	Close() error
}

// openSearch opens the configured read-model store: the embedded index in
// dir, or Elasticsearch under the run's own index prefix.
func (c *Config) openSearch(ctx context.Context, dir string) (searchStore, error) {
	if c.Elasticsearch != "" {
		return elasticstore.Open(ctx, c.Elasticsearch, elasticstore.WithPrefix(c.IndexPrefix))
	}
	return blevestore.Open(dir)
}

// openEvents opens the configured event store.
func (c *Config) openEvents(ctx context.Context, dir string) (eventstore.Store, error) {
	if c.EventStore != "" {
		return esdb.Open(ctx, c.EventStore, esdb.WithLogger(c.Logger))
	}
	return embedded.Open(dir, embedded.WithLogger(c.Logger))
}

// coldCatchUp starts the program on the data with the index set aside, as
// on a new machine or after the index was lost, and measures how fast its
// read models catch up from nothing (the bulk path of a first start); the
// index is put back afterwards.
func (c *Config) coldCatchUp(ctx context.Context, dataDir string, say func(string, ...any)) (float64, error) {
	index, aside := filepath.Join(dataDir, "index"), filepath.Join(dataDir, "index.aside")
	if err := os.Rename(index, aside); err != nil {
		return 0, err
	}
	defer func() {
		_ = os.RemoveAll(index)
		_ = os.Rename(aside, index)
	}()
	runtime.GC()
	start := time.Now()
	a, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: dataDir, PolicyInterval: time.Hour, Logger: c.Logger,
		ColdReplayMin: 1})
	if err != nil {
		return 0, fmt.Errorf("cold start: %w", err)
	}
	err = waitReady(ctx, "http://"+a.Addr(), 30*time.Minute)
	elapsed := time.Since(start)
	if cerr := a.Close(context.WithoutCancel(ctx)); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("cold start: %w", err)
	}
	eps := float64(c.Events) / elapsed.Seconds()
	say("cold start: read models caught up from nothing in %.1f s (%.0f events/s)", elapsed.Seconds(), eps)
	return eps, nil
}

// serving restarts the program on the data directory and measures the
// restart, HTTP commands, the peak RSS and projection lag.
func (c *Config) serving(ctx context.Context, dataDir string, r *Result, say func(string, ...any)) error {
	if len(c.Server) > 0 {
		if err := c.servingProcess(ctx, dataDir, r, say); err != nil {
			return err
		}
	}
	cfg := app.Config{Addr: "127.0.0.1:0", DataDir: dataDir, EventStore: c.EventStore, Elasticsearch: c.Elasticsearch,
		IndexPrefix: c.IndexPrefix, PolicyInterval: time.Hour, Logger: c.Logger,
		// The benchmark's 64 clients share one address and one token.
		Limits: httpapi.Limits{AddressRate: -1, TokenRate: -1}}
	inProcess := len(c.Server) == 0
	if inProcess {
		resetPeakRSS()
	}
	start := time.Now()
	stopProfile := c.profile("restart")
	a, err := app.Start(ctx, cfg)
	if err != nil {
		stopProfile()
		return fmt.Errorf("restart: %w", err)
	}
	defer a.Close(context.WithoutCancel(ctx))
	url := "http://" + a.Addr()
	err = waitReady(ctx, url, time.Minute)
	stopProfile()
	if err != nil {
		return err
	}
	h, err := newHTTPBench(dataDir, url)
	if err != nil {
		return err
	}
	if inProcess {
		r.ReadyAfterRestartS = time.Since(start).Seconds()
		say("ready %.2f s after restart with %d events", r.ReadyAfterRestartS, c.Events)
		// The target's rate first: after the saturated run the server
		// still works off its backlog (projections, index merges), which
		// no server running at 3,000 commands/s has.
		c.pacedHTTP(ctx, h, r, say)
		stopProfile = c.profile("http")
		lat, errs, rate := h.closedLoop(ctx, 64, c.Duration)
		stopProfile()
		r.HTTPCmdsPerS, r.HTTPP50ms, r.HTTPP99ms = rate, percentile(lat, 50), percentile(lat, 99)
		r.HTTPErrors += errs
		say("HTTP commands, 64 clients: %.0f/s, p50 %.2f ms, p99 %.2f ms (%d errors)", rate, r.HTTPP50ms, r.HTTPP99ms, errs)
	}
	if err := a.WaitCaughtUp(ctx, headOf(ctx, a)); err != nil {
		return err
	}
	stopProfile = c.profile("lag")
	lags, achieved, err := h.lag(ctx, a, c.LagRate, c.LagDuration)
	stopProfile()
	if err != nil {
		return err
	}
	r.LagP50ms, r.LagP99ms, r.LagRate, r.LagSamples = percentile(lags, 50), percentile(lags, 99), achieved, len(lags)
	say("projection lag at %.0f commands/s: p50 %.1f ms, p99 %.1f ms", achieved, r.LagP50ms, r.LagP99ms)
	if inProcess {
		r.PeakRSSMiB = statusMiB("VmHWM:")
		r.RSSAnonMiB, r.RSSFileMiB = statusMiB("RssAnon:"), statusMiB("RssFile:")
		say("peak RSS while serving (server and clients in one process): %.0f MiB (at the end: %.0f MiB anonymous, %.0f MiB mapped files)",
			r.PeakRSSMiB, r.RSSAnonMiB, r.RSSFileMiB)
	}
	return nil
}

// pacedHTTP measures command latency at the target's rate, 3,000/s from
// 64 clients, for Duration.
func (c *Config) pacedHTTP(ctx context.Context, h *httpBench, r *Result, say func(string, ...any)) {
	lat, errs, rate := h.paced(ctx, 64, 3000, c.Duration)
	r.HTTPPacedRate, r.HTTPPacedP50ms, r.HTTPPacedP99ms = rate, percentile(lat, 50), percentile(lat, 99)
	r.HTTPErrors += errs
	say("HTTP commands, 64 clients at 3,000/s: %.0f/s, p50 %.2f ms, p99 %.2f ms (%d errors)", rate, r.HTTPPacedP50ms, r.HTTPPacedP99ms, errs)
}

// servingProcess runs `butler serve` on the data as its own process and
// measures its restart, HTTP commands from 64 clients in this process, and
// its peak RSS over both.
func (c *Config) servingProcess(ctx context.Context, dataDir string, r *Result, say func(string, ...any)) error {
	r.ServerProcess = true
	start := time.Now()
	p, err := c.startServer(ctx, c.Server, dataDir)
	if err != nil {
		return err
	}
	defer p.stop()
	if err := waitReady(ctx, p.url, time.Minute); err != nil {
		return err
	}
	r.ReadyAfterRestartS = time.Since(start).Seconds()
	say("ready %.2f s after starting butler serve (own process) with %d events", r.ReadyAfterRestartS, c.Events)
	h, err := newHTTPBench(dataDir, p.url)
	if err != nil {
		return err
	}
	// The target's rate first: after the saturated run the server still
	// works off its backlog (projections, index merges), which no server
	// running at 3,000 commands/s has.
	c.pacedHTTP(ctx, h, r, say)
	stopProfile := c.profile("http-clients")
	lat, errs, rate := h.closedLoop(ctx, 64, c.Duration)
	stopProfile()
	r.HTTPCmdsPerS, r.HTTPP50ms, r.HTTPP99ms = rate, percentile(lat, 50), percentile(lat, 99)
	r.HTTPErrors += errs
	say("HTTP commands, 64 clients: %.0f/s, p50 %.2f ms, p99 %.2f ms (%d errors)", rate, r.HTTPP50ms, r.HTTPP99ms, errs)
	// How much projection work the saturated run left behind: the time
	// until every read model is within a second of the head again.
	caughtUp := time.Now()
	if err := waitReady(ctx, p.url, 5*time.Minute); err != nil {
		return fmt.Errorf("after the saturated run: %w", err)
	}
	say("read models back within 1 s of the head %.1f s after the saturated run", time.Since(caughtUp).Seconds())
	r.PeakRSSMiB = p.statusMiB("VmHWM:")
	r.RSSAnonMiB, r.RSSFileMiB = p.statusMiB("RssAnon:"), p.statusMiB("RssFile:")
	say("peak RSS of butler serve: %.0f MiB (at the end: %.0f MiB anonymous, %.0f MiB mapped files)", r.PeakRSSMiB, r.RSSAnonMiB, r.RSSFileMiB)
	return p.stop()
}

// settleIndex waits until the set of segment files (*.zap) under dir has
// not changed for quiet, or until limit; it returns how long it waited.
func settleIndex(ctx context.Context, dir string, quiet, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	last, stableSince := "", time.Now()
	for time.Since(start) < limit {
		var names strings.Builder
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return nil // a segment merged away while walking
			}
			if strings.HasSuffix(path, ".zap") {
				names.WriteString(path)
				names.WriteByte('\n')
			}
			return nil
		})
		if err != nil {
			return time.Since(start), err
		}
		if now := names.String(); now != last {
			last, stableSince = now, time.Now()
		} else if time.Since(stableSince) >= quiet {
			return time.Since(start) - quiet, nil
		}
		select {
		case <-ctx.Done():
			return time.Since(start), ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return time.Since(start), nil
}

// percentile of latencies in milliseconds (nearest rank).
func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return math.NaN()
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	i = min(max(i, 0), len(s)-1)
	return float64(s[i]) / float64(time.Millisecond)
}

// resetPeakRSS starts a new peak (Linux: clear_refs 5 resets VmHWM).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// statusMiB reads one memory figure of /proc/self/status (VmHWM: the peak
// resident set; RssAnon, RssFile: now) in MiB.
func statusMiB(field string) float64 { return statusFileMiB("/proc/self/status", field) }

func statusFileMiB(file, field string) float64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return math.NaN()
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return math.NaN()
}

// profile starts a CPU profile of one phase when ProfileDir is set; the
// returned function stops it.
func (c *Config) profile(phase string) func() {
	if c.ProfileDir == "" {
		return func() {}
	}
	if err := os.MkdirAll(c.ProfileDir, 0o755); err != nil {
		c.Logger.Warn("no profile", "phase", phase, "err", err)
		return func() {}
	}
	f, err := os.Create(filepath.Join(c.ProfileDir, phase+".pprof"))
	if err != nil {
		c.Logger.Warn("no profile", "phase", phase, "err", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		c.Logger.Warn("no profile", "phase", phase, "err", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
