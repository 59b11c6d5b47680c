package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
)

const backupUsage = `usage:
  butler backup --data DIR --to PATH                       the server on DIR stopped
  butler backup --server URL --token T [--name NAME]       the server running: it writes into its --backup-dir
  butler restore --from PATH --data DIR                    DIR missing or empty`

// backupCmd makes a verified backup of the embedded deployment: directly
// when no server holds the data directory, else through the running
// server, which snapshots its store while it serves.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("BUTLER_DATA", "./data"), "data directory of a stopped server (env BUTLER_DATA)")
	to := fs.String("to", "", "the backup directory to create (with --data)")
	tokenKey := fs.String("token-key", env("BUTLER_TOKEN_KEY", ""), "token key file, if not DATA/token.key (env BUTLER_TOKEN_KEY)")
	auditKey := fs.String("audit-key", env("BUTLER_AUDIT_KEY", ""), "audit key file, if not DATA/audit.key (env BUTLER_AUDIT_KEY)")
	server := fs.String("server", "", "base URL of a running butler: ask it for the backup")
	token := fs.String("token", env("BUTLER_TOKEN", ""), "a project manager's bearer token (with --server; env BUTLER_TOKEN)")
	name := fs.String("name", "", "the backup's name in the server's backup directory (with --server; default: the time)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *server != "" {
		return backupThroughServer(ctx, *server, *token, *name, stdout)
	}
	if *to == "" {
		return errors.New("backup: --to is required\n" + backupUsage)
	}
	store, err := embedded.Open(*data + "/events")
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			return fmt.Errorf("backup: a server is running on %s: ask it with --server URL --token T\n%s", *data, backupUsage)
		}
		return fmt.Errorf("backup: %w", err)
	}
	defer store.Close()
	m, err := app.Backup(ctx, app.Config{DataDir: *data, TokenKeyFile: *tokenKey, AuditKeyFile: *auditKey}, store, *to)
	if err != nil {
		return err
	}
	printManifest(stdout, *to, m)
	return nil
}

func backupThroughServer(ctx context.Context, server, token, name string, stdout io.Writer) error {
	if token == "" {
		return errors.New("backup: --token (or BUTLER_TOKEN) is required with --server")
	}
	var out struct {
		Path     string       `json:"path"`
		Manifest app.Manifest `json:"manifest"`
	}
	if err := call(ctx, http.MethodPost, strings.TrimRight(server, "/")+"/api/v1/admin/backups", token, map[string]string{"name": name}, &out); err != nil {
		return err
	}
	printManifest(stdout, out.Path+" (on the server's machine)", out.Manifest)
	return nil
}

func printManifest(w io.Writer, where string, m app.Manifest) {
	fmt.Fprintf(w, "backup:       %s\n", where)
	fmt.Fprintf(w, "events:       %d (last position %d), tree head %s\n", m.Events, m.LastPosition, m.TreeHead)
	fmt.Fprintf(w, "verified:     audit verify passed over %d signed checkpoint(s); keys: %d file(s)\n", m.Checkpoints, len(m.Files))
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "a backup directory made by butler backup")
	data := fs.String("data", "", "the data directory to create (missing or empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *data == "" {
		return errors.New("restore: --from and --data are required\n" + backupUsage)
	}
	m, err := app.Restore(ctx, *from, *data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s: %d events, tree head %s checked; the read models rebuild when butler serve starts on it\n",
		*from, *data, m.Events, m.TreeHead)
	return nil
}
