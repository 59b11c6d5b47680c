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
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/httpapi"
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
	fs.StringVar(&cfg.SynonymsDir, "synonyms", env("BUTLER_SYNONYMS", ""), "directory of each project's search synonyms, <project>.txt; default DATA/synonyms (env BUTLER_SYNONYMS)")
	fs.StringVar(&cfg.BackupDir, "backup-dir", env("BUTLER_BACKUP_DIR", ""), "where POST /api/v1/admin/backups (butler backup --server) writes; default DATA/backups (env BUTLER_BACKUP_DIR)")
	fs.StringVar(&cfg.DataKeyFile, "data-key", env("BUTLER_DATA_KEY", ""), "master key wrapping the households' data keys (32 bytes); default DATA/data.key (env BUTLER_DATA_KEY)")
	fs.StringVar(&cfg.AuditKeyFile, "audit-key", env("BUTLER_AUDIT_KEY", ""), "checkpoint signing key (Ed25519, PEM); default DATA/audit.key (env BUTLER_AUDIT_KEY)")
	auditInterval := fs.String("audit-interval", env("BUTLER_AUDIT_INTERVAL", "1m"), "longest time between signed checkpoints while events are recorded (env BUTLER_AUDIT_INTERVAL)")
	auditEvery := fs.Int("audit-every", envInt("BUTLER_AUDIT_EVERY", 10000), "sign a checkpoint after this many events (env BUTLER_AUDIT_EVERY)")
	fs.StringVar(&cfg.TimeZone, "timezone", env("BUTLER_TIMEZONE", app.DefaultTimeZone), "the project's time zone, an IANA name: a date alone in as_of, from or to is a day there (env BUTLER_TIMEZONE)")
	policy := fs.String("policy-interval", env("BUTLER_POLICY_INTERVAL", "1m"), "how often time policies run (env BUTLER_POLICY_INTERVAL)")
	readTimeout := fs.Duration("read-timeout", envDuration("BUTLER_READ_TIMEOUT", 30*time.Second), "longest time to read a whole request, body included (env BUTLER_READ_TIMEOUT)")
	writeTimeout := fs.Duration("write-timeout", envDuration("BUTLER_WRITE_TIMEOUT", 60*time.Second), "longest time to write an answer; audit exports get 10 minutes (env BUTLER_WRITE_TIMEOUT)")
	idleTimeout := fs.Duration("idle-timeout", envDuration("BUTLER_IDLE_TIMEOUT", 60*time.Second), "an idle keep-alive connection is closed after this (env BUTLER_IDLE_TIMEOUT)")
	fs.IntVar(&cfg.MaxHeaderBytes, "max-header-bytes", envInt("BUTLER_MAX_HEADER_BYTES", 64<<10), "largest request header block, in bytes (env BUTLER_MAX_HEADER_BYTES)")
	fs.IntVar(&cfg.Limits.Searches, "max-searches", envInt("BUTLER_MAX_SEARCHES", httpapi.DefaultSearches), "list searches running at once; another waits 1 s, then gets 503 (env BUTLER_MAX_SEARCHES)")
	addressRate := fs.String("rate-address", env("BUTLER_RATE_ADDRESS", strconv.Itoa(httpapi.DefaultAddressRate)), "requests per second one client address may send on average, bursts of twice that; off: no limit (env BUTLER_RATE_ADDRESS)")
	tokenRate := fs.String("rate-token", env("BUTLER_RATE_TOKEN", strconv.Itoa(httpapi.DefaultTokenRate)), "requests per second one token may send on average, bursts of twice that; off: no limit (env BUTLER_RATE_TOKEN)")
	fs.DurationVar(&cfg.TokenMaxTTL, "token-max-ttl", envDuration("BUTLER_TOKEN_MAX_TTL", auth.DefaultMaxTTL), "longest lifetime a token may claim; longer ones are refused (env BUTLER_TOKEN_MAX_TTL)")
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
	cfg.ReadTimeout, cfg.WriteTimeout, cfg.IdleTimeout = *readTimeout, *writeTimeout, *idleTimeout
	for _, r := range []struct {
		flag string
		v    string
		to   *float64
	}{{"--rate-address", *addressRate, &cfg.Limits.AddressRate}, {"--rate-token", *tokenRate, &cfg.Limits.TokenRate}} {
		if r.v == "off" {
			*r.to = -1
			continue
		}
		n, err := strconv.ParseFloat(r.v, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("%s %q: want a positive number of requests per second, or off", r.flag, r.v)
		}
		*r.to = n
	}
	if cfg.Logger, err = newLogger(stderr, *level); err != nil {
		return err
	}
	if *demoData {
		if err := serveDemo(ctx, &cfg, stderr); err != nil {
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

// envDuration returns the environment variable as a duration, or def when
// it is unset; a malformed one is -1, which the validation reports.
func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		return -1
	}
	return def
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
