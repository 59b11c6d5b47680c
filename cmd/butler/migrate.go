package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/migrate"
)

// migrateCmd copies a whole event log between the embedded store and
// EventStoreDB (either way, or between two of a kind).
func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "source: a data directory (its embedded store) or an esdb:// connection string")
	to := fs.String("to", "", "target: a data directory or an esdb:// connection string")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("usage: butler migrate --from <data dir | esdb://…> --to <esdb://… | data dir>")
	}
	src, err := openForMigration(ctx, *from, false)
	if err != nil {
		return fmt.Errorf("migrate: source %s: %w", *from, err)
	}
	defer src.Close()
	dst, err := openForMigration(ctx, *to, true)
	if err != nil {
		return fmt.Errorf("migrate: target %s: %w", *to, err)
	}
	defer dst.Close()
	var progress func(migrate.Progress)
	if isTerminal(stderr) {
		progress = func(p migrate.Progress) {
			fmt.Fprintf(stderr, "\r\033[Kmigrating: %d events read, %d copied, %d already there, %.0f events/s", p.Read, p.Copied, p.Kept,
				float64(p.Read)/max(p.Elapsed.Seconds(), 1e-3))
		}
	}
	rep, err := migrate.Run(ctx, src, dst, progress)
	if progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrated:     %d events (%d copied now, %d already in the target) in %s (%.0f events/s)\n",
		rep.Events, rep.Copied, rep.Kept, rep.Elapsed.Round(time.Millisecond), float64(rep.Copied)/max(rep.Elapsed.Seconds(), 1e-3))
	fmt.Fprintf(stdout, "tree heads:   source %s\n              target %s (equal)\n", rep.SourceHead, rep.TargetHead)
	fmt.Fprintln(stdout, "next:         copy the token, audit and data keys to the target's servers (--token-key, --audit-key,")
	fmt.Fprintln(stdout, "              --data-key) and the households' data keys (DATA/keys; not yet movable into Elasticsearch),")
	fmt.Fprintln(stdout, "              then start butler serve on the target: its read models rebuild from the log")
	return nil
}

// openForMigration opens an esdb:// store, or the embedded store of a data
// directory (created for a target, required for a source).
func openForMigration(ctx context.Context, where string, create bool) (eventstore.Store, error) {
	cfg := app.Config{DataDir: where}
	if strings.Contains(where, "://") {
		cfg = app.Config{EventStore: where, DataDir: os.TempDir()}
	} else if _, err := os.Stat(filepath.Join(where, "events")); err != nil && !create {
		return nil, fmt.Errorf("no event store in %s", where)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return app.OpenEventStore(ctx, cfg)
}
