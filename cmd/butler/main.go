// Command butler runs Butler, the district-butler property-management
// backend (片区管家).
//
//	butler serve [--addr HOST:PORT] [--data DIR] [--eventstore esdb://…] [--elasticsearch http://…]
//	butler token issue --data DIR --role ROLE --staff ID --project P [--district D] [--ttl 720h]
//	butler token revoke (--jti ID | --revoke TOKEN) [--reason TEXT]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	// Zone names (--timezone) work on hosts without a time zone database.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "butler:", err)
		os.Exit(1)
	}
}

const usage = `butler: the district-butler property-management backend (片区管家)

Commands:
  serve                 run the HTTP API, projections and policies
  token issue           print a signed bearer token for a staff member
  token revoke          revoke a token on every server (asks a running server)
  staff activate        print a one-time link with which a staff member sets their console password
  projections status    show each read model's checkpoint and lag (asks a running server)
  projections rebuild   rebuild one read model from $all (asks a running server)
  demo                  fill an empty data directory with a year of a compound's operations
  migrate               copy the whole event log between the embedded store and EventStoreDB, and prove it equal
  backup                a verified copy of the embedded store and its keys (the server running or not)
  restore               a backup into a new data directory
  audit verify          check that nothing in the event log was altered (docs/audit.md)
  audit export          write a period's events with their proofs, to check offline
  bench                 measure appends, HTTP commands, projection lag, rebuild, search, RSS, restart

Run "butler COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "token":
		return tokenCmd(ctx, args[1:], stdout, stderr)
	case "projections":
		if len(args) < 2 {
			return errors.New(`usage: butler projections status|rebuild NAME`)
		}
		return projectionsCmd(ctx, args[1], args[2:], stdout, stderr)
	case "demo":
		return demoCmd(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args[1:], stdout, stderr)
	case "backup":
		return backupCmd(ctx, args[1:], stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args[1:], stdout, stderr)
	case "audit":
		return auditCmd(ctx, args[1:], stdout, stderr)
	case "bench":
		return benchCmd(ctx, args[1:], stdout, stderr)
	case "staff":
		return staffCmd(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// env returns the environment variable's value or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
