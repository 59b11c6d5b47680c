package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/personal"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// demoCmd generates a compound's operations into an empty data directory.
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("BUTLER_DATA", "./data"), "empty data directory to fill (env BUTLER_DATA)")
	var o demo.Options
	fs.IntVar(&o.Households, "households", 2000, "households (units with an owner)")
	fs.IntVar(&o.Months, "months", 12, "months of operations, ending at --until")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed and --until give the same events")
	until := fs.String("until", "", "last day of the period, YYYY-MM-DD (default: today, Asia/Shanghai)")
	fs.StringVar(&o.Project, "project", "p1", "project (compound) id")
	level := fs.String("log-level", env("BUTLER_LOG_LEVEL", "warn"), "debug, info, warn or error (env BUTLER_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if o.Logger, err = newLogger(stderr, *level); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo: unexpected arguments %v", fs.Args())
	}
	if *until != "" {
		t, err := time.ParseInLocation(time.DateOnly, *until, demo.Shanghai)
		if err != nil {
			return fmt.Errorf("--until %q: want YYYY-MM-DD", *until)
		}
		o.Until = t
	}
	return generateDemo(ctx, *data, "", "", o, stdout)
}

// generateDemo fills dataDir and prints what was made and tokens to try it.
// keyFile is the token signing key (default DATA/token.key).
func generateDemo(ctx context.Context, dataDir, keyFile, dataKeyFile string, o demo.Options, out io.Writer) error {
	fmt.Fprintf(out, "generating demo data in %s …\n", dataDir)
	defer demoGC()()
	if o.Follow == nil {
		o.Follow = foldWhileGenerating(dataDir, o.Logger, true)
	}
	sum, err := demo.Run(ctx, dataDir, dataKeyFile, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "demo: %d households, %d staff, %d complaints, %d work orders, %d rainy days, %d fee bills, %d payments from %s to %s: %d commands, %d events in %s (%d refused)\n",
		sum.Households, sum.Staff, sum.Complaints, sum.WorkOrders, sum.RainyDays, sum.Bills, sum.Payments, sum.From.Format(time.DateOnly), sum.Until.Format(time.DateOnly),
		sum.Commands, sum.Events, sum.Elapsed.Round(time.Millisecond), sum.Refused)
	if keyFile == "" {
		keyFile = filepath.Join(dataDir, auth.KeyFile)
	}
	key, err := auth.LoadOrCreateKey(keyFile)
	if err != nil {
		return err
	}
	iss := auth.NewIssuer(key, nil)
	d := sum.Districts[0]
	for _, p := range []struct {
		label string
		p     commands.Principal
	}{
		{"butler " + d.Butlers[0] + " (" + d.Name + " " + d.ID + ")", commands.Principal{StaffID: d.Butlers[0], Role: commands.RoleButler, Project: sum.Project, District: d.ID}},
		{"supervisor " + sum.Supervisor, commands.Principal{StaffID: sum.Supervisor, Role: commands.RoleSupervisor, Project: sum.Project}},
		{"analyst a-001", commands.Principal{StaffID: "a-001", Role: commands.RoleAnalyst, Project: sum.Project}},
	} {
		tok, err := iss.Issue(p.p, 30*24*time.Hour)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n# %s, valid 30 days\n%s\n", p.label, tok)
	}
	fmt.Fprintf(out, "\nserve it (butler serve --data %s) and try, for example:\n  curl -H \"Authorization: Bearer $TOKEN\" 'http://127.0.0.1:8080/api/v1/complaints?q=漏水&facets=true'\n  curl -H \"Authorization: Bearer $TOKEN\" 'http://127.0.0.1:8080/api/v1/kpis/complaint-satisfaction?month=%s'\n",
		dataDir, sum.Until.AddDate(0, -1, 0).Format("2006-01"))
	return nil
}

// serveDemo fills an empty embedded data directory before serve starts
// (butler serve --demo); a directory with data is served as it is. The
// read models folded beside the generation are compacted by the server
// once it answers (it sets cfg.CompactAtStart).
func serveDemo(ctx context.Context, cfg *app.Config, out io.Writer) error {
	if cfg.EventStore != "" {
		return fmt.Errorf("serve --demo: demo data is generated into the embedded event store; drop --eventstore")
	}
	if !demo.Empty(cfg.DataDir) {
		fmt.Fprintf(out, "serve --demo: %s already holds data; serving it as it is\n", cfg.DataDir)
		return nil
	}
	o := demo.Options{Logger: cfg.Logger}
	if cfg.Elasticsearch != "" || (cfg.TimeZone != "" && cfg.TimeZone != app.DefaultTimeZone) {
		// The read models are Elasticsearch's, or their days are another
		// zone's than the one the generation runs in: the server folds
		// them itself once it has started.
		o.Follow = func(context.Context, *embedded.Store, *personal.Sealer, <-chan struct{}) error { return nil }
	} else {
		o.Follow = foldWhileGenerating(cfg.DataDir, cfg.Logger, false)
		cfg.CompactAtStart = true
	}
	return generateDemo(ctx, cfg.DataDir, cfg.TokenKeyFile, cfg.DataKeyFile, o, out)
}

// foldWhileGenerating builds the embedded index's read models (DATA/index)
// while the demo is generated, on the core the one-goroutine generation
// leaves idle, as the first start's bulk replay would after it: the
// server then starts on read models at the head. If it fails, the index
// is removed and the first start replays as without it. With compact, the
// indexes are then merged into one segment each (butler demo); serve
// --demo leaves that to the server, which does it while it answers.
func foldWhileGenerating(dataDir string, logger *slog.Logger, compact bool) func(context.Context, *embedded.Store, *personal.Sealer, <-chan struct{}) error {
	return func(ctx context.Context, events *embedded.Store, keys *personal.Sealer, generated <-chan struct{}) error {
		dir := filepath.Join(dataDir, "index")
		err := func() error {
			idx, err := blevestore.Open(dir)
			if err != nil {
				return err
			}
			ps := app.Projections(keys)
			start := time.Now()
			n, err := projections.ReplayAll(ctx, events, idx, ps, projections.ReplayOptions{Follow: generated, Logger: logger})
			folded := time.Since(start)
			if err == nil && compact {
				err = projections.CompactAll(ctx, idx, ps)
			}
			if err == nil && logger != nil {
				logger.Info("demo: read models folded beside the generation", "read_models", len(ps), "events", n,
					"seconds", folded.Seconds(), "compacted_seconds", time.Since(start).Seconds()-folded.Seconds())
			}
			return errors.Join(err, idx.Close())
		}()
		if err != nil {
			if logger != nil && ctx.Err() == nil {
				logger.Warn("demo: folding the read models beside the generation failed; the first start replays them", "err", err)
			}
			return os.RemoveAll(dir)
		}
		return nil
	}
}

// demoGC lets the heap grow to three times what is live between
// collections while the demo is generated and folded, up to 2 GiB, and
// returns what restores the collector's settings: the generation and the
// folding allocate much that lives briefly, and with Go's default (twice
// what is live) the collector took an eighth of their CPU. Measured
// (docs/benchmarks.md): serve --demo ready about 2 s sooner, its peak
// memory 1.6 → 2.1 GB. GOGC and GOMEMLIMIT set by the operator are kept.
func demoGC() (restore func()) {
	percent, limit := -2, int64(-1)
	if _, set := os.LookupEnv("GOGC"); !set {
		percent = debug.SetGCPercent(200)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		limit = debug.SetMemoryLimit(2 << 30)
	}
	return func() {
		if percent != -2 {
			debug.SetGCPercent(percent)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
