package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
)

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg app.Config
	fs.StringVar(&cfg.Addr, "addr", env("BUTLER_ADDR", "127.0.0.1:8080"), "HTTP listen address (env BUTLER_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", env("BUTLER_DATA", "./data"), "data directory (env BUTLER_DATA)")
	fs.StringVar(&cfg.EventStore, "eventstore", env("BUTLER_EVENTSTORE", ""), "EventStoreDB connection string esdb://…; empty: embedded store (env BUTLER_EVENTSTORE)")
	fs.StringVar(&cfg.Elasticsearch, "elasticsearch", env("BUTLER_ELASTICSEARCH", ""), "Elasticsearch URL http://…; empty: embedded index (env BUTLER_ELASTICSEARCH)")
	fs.StringVar(&cfg.IndexPrefix, "index-prefix", env("BUTLER_INDEX_PREFIX", "butler-"), "Elasticsearch index name prefix (env BUTLER_INDEX_PREFIX)")
	fs.IntVar(&cfg.Replicas, "es-replicas", envInt("BUTLER_ES_REPLICAS", 0), "number_of_replicas of new Elasticsearch indices (env BUTLER_ES_REPLICAS)")
	fs.StringVar(&cfg.TokenKeyFile, "token-key", env("BUTLER_TOKEN_KEY", ""), "token signing key file; default DATA/token.key (env BUTLER_TOKEN_KEY)")
	fs.StringVar(&cfg.DataKeyFile, "data-key", env("BUTLER_DATA_KEY", ""), "master key wrapping the households' data keys (32 bytes); default DATA/data.key (env BUTLER_DATA_KEY)")
	fs.StringVar(&cfg.AuditKeyFile, "audit-key", env("BUTLER_AUDIT_KEY", ""), "checkpoint signing key (Ed25519, PEM); default DATA/audit.key (env BUTLER_AUDIT_KEY)")
	auditInterval := fs.String("audit-interval", env("BUTLER_AUDIT_INTERVAL", "1m"), "longest time between signed checkpoints while events are recorded (env BUTLER_AUDIT_INTERVAL)")
	auditEvery := fs.Int("audit-every", envInt("BUTLER_AUDIT_EVERY", 10000), "sign a checkpoint after this many events (env BUTLER_AUDIT_EVERY)")
	fs.StringVar(&cfg.TimeZone, "timezone", env("BUTLER_TIMEZONE", app.DefaultTimeZone), "the project's time zone, an IANA name: a date alone in as_of, from or to is a day there (env BUTLER_TIMEZONE)")
	policy := fs.String("policy-interval", env("BUTLER_POLICY_INTERVAL", "1m"), "how often time policies run (env BUTLER_POLICY_INTERVAL)")
	demoData := fs.Bool("demo", false, "fill an empty data directory with a year of demo operations first (see butler demo)")
	level := fs.String("log-level", env("BUTLER_LOG_LEVEL", "info"), "debug, info, warn or error (env BUTLER_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %v", fs.Args())
	}
	d, err := time.ParseDuration(*policy)
	if err != nil {
		return fmt.Errorf("--policy-interval %q: %w", *policy, err)
	}
	cfg.PolicyInterval = d
	if cfg.AuditInterval, err = time.ParseDuration(*auditInterval); err != nil {
		return fmt.Errorf("--audit-interval %q: %w", *auditInterval, err)
	}
	if *auditEvery <= 0 {
		return fmt.Errorf("--audit-every %d: want a positive number of events", *auditEvery)
	}
	cfg.AuditEvery = uint64(*auditEvery)
	if cfg.Logger, err = newLogger(stderr, *level); err != nil {
		return err
	}
	if *demoData {
		if err := serveDemo(ctx, cfg, stderr); err != nil {
			return err
		}
	}
	a, err := app.Start(ctx, cfg)
	if err != nil {
		return err
	}
	<-ctx.Done()
	cfg.Logger.Info("shutting down: draining requests")
	return a.Close(context.Background())
}

// envInt returns the environment variable as an integer, or def when it is
// unset or not a number (the flag's validation then reports it).
func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return -1
	}
	return def
}
