package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/commands"
)

func staffCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "activate" {
		return staffActivate(ctx, args[1:], stdout, stderr)
	}
	return errors.New(`usage: butler staff activate --data DIR --staff ID --project P [--url http://host:8080]`)
}

// staffActivate records a one-time activation code for a registered staff
// member and prints the console link that sets their password: what
// POST /api/v1/staff/{id}/activation does, for an operator holding the data
// directory (the server on it stopped, or the event store given).
func staffActivate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("staff activate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f storeFlags
	f.register(fs)
	staffID := fs.String("staff", "", "staff id, registered in the project")
	project := fs.String("project", "", "project (compound)")
	base := fs.String("url", env("BUTLER_SERVER", "http://127.0.0.1:8080"), "the console's address, printed before the link (env BUTLER_SERVER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *staffID == "" || *project == "" {
		return errors.New("staff activate: --staff and --project are required")
	}
	store, err := f.open(ctx)
	if err != nil && f.eventstore == "" {
		return fmt.Errorf("%w\nif a server runs on this data directory, a project manager or supervisor creates the link there: "+
			"POST /api/v1/staff/%s/activation, or the console's 账号激活 page", err, *staffID)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	// Activation seals nothing: no data key is needed.
	h := commands.NewCredentialHandlers(store, app.WallClock{}, nil, nil, nil, nil)
	a, err := h.IssueActivationAsOperator(ctx, *project, *staffID)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s%s\n# valid until %s, once; give it to %s in person\n", strings.TrimRight(*base, "/"), a.ActivationURL,
		a.ExpiresAt.Format("2006-01-02 15:04 MST"), *staffID)
	return err
}
