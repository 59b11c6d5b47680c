package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/auth"
)

func tokenIssue(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token issue", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("BUTLER_DATA", "./data"), "data directory holding the signing key (env BUTLER_DATA)")
	keyFile := fs.String("token-key", env("BUTLER_TOKEN_KEY", ""), "signing key file; default DATA/token.key (env BUTLER_TOKEN_KEY)")
	var p commands.Principal
	fs.StringVar(&p.Role, "role", "", fmt.Sprintf("role, one of %v", commands.Roles))
	fs.StringVar(&p.StaffID, "staff", "", "staff id")
	fs.StringVar(&p.Project, "project", "", "project (compound)")
	fs.StringVar(&p.District, "district", "", "district (片区); not needed for project-wide roles")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := *keyFile
	if path == "" {
		path = filepath.Join(*data, auth.KeyFile)
	}
	key, err := auth.LoadOrCreateKey(path)
	if err != nil {
		return err
	}
	tok, err := auth.NewIssuer(key, nil).Issue(p, *ttl)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}
