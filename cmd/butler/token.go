package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/auth"
)

func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "issue":
			return tokenIssue(args[1:], stdout, stderr)
		case "revoke":
			return tokenRevoke(ctx, args[1:], stdout, stderr)
		}
	}
	return errors.New(`usage: butler token issue --data DIR --role ROLE --staff ID --project P [--district D] [--ttl 720h] [--link [--url URL]]
       butler token revoke [--server URL] [--token PM_TOKEN] (--jti ID | --revoke TOKEN) [--reason TEXT]`)
}

// maxTTLFlag is the --max-ttl flag of token issue, shared with serve's
// --token-max-ttl through BUTLER_TOKEN_MAX_TTL.
func maxTTLFlag(fs *flag.FlagSet, name string) *time.Duration {
	def := auth.DefaultMaxTTL
	if v := env("BUTLER_TOKEN_MAX_TTL", ""); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			def = d
		} else {
			def = -1 // reported by the command's validation
		}
	}
	return fs.Duration(name, def, "longest lifetime a token may have (env BUTLER_TOKEN_MAX_TTL)")
}

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
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the token is valid (at most --max-ttl)")
	maxTTL := maxTTLFlag(fs, "max-ttl")
	link := fs.Bool("link", false, "print a link that opens the web console signed in with the token, instead of the token")
	base := fs.String("url", env("BUTLER_SERVER", "http://127.0.0.1:8080"), "the console's address, for --link (env BUTLER_SERVER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *maxTTL <= 0 {
		return errors.New("--max-ttl (BUTLER_TOKEN_MAX_TTL) must be a positive duration")
	}
	path := *keyFile
	if path == "" {
		path = filepath.Join(*data, auth.KeyFile)
	}
	key, err := auth.LoadOrCreateKey(path)
	if err != nil {
		return err
	}
	tok, err := auth.NewIssuer(key, nil, auth.WithMaxTTL(*maxTTL)).Issue(p, *ttl)
	if err != nil {
		return err
	}
	if *link {
		// After '#': the token stays in the browser, out of servers' logs.
		tok = strings.TrimRight(*base, "/") + "/#/signin?token=" + tok
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}

// tokenRevoke asks a running server to revoke a token: the revocation is
// an event, and every server applies it within a second.
func tokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", env("BUTLER_SERVER", "http://127.0.0.1:8080"), "base URL of a running butler (env BUTLER_SERVER)")
	token := fs.String("token", env("BUTLER_TOKEN", ""), "bearer token of a project manager (env BUTLER_TOKEN)")
	jti := fs.String("jti", "", "id (jti) of the token to revoke")
	revoke := fs.String("revoke", "", "the token to revoke itself (instead of --jti)")
	reason := fs.String("reason", "", "why (recorded with the revocation)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" {
		return errors.New("token revoke: --token (or BUTLER_TOKEN), a project manager's token, is required")
	}
	if (*jti == "") == (*revoke == "") {
		return errors.New("token revoke: give --jti ID or --revoke TOKEN")
	}
	var out struct {
		ID       string `json:"id"`
		Revision uint64 `json:"revision"`
	}
	body := map[string]string{"jti": *jti, "token": *revoke, "reason": *reason}
	if err := call(ctx, http.MethodPost, strings.TrimRight(*server, "/")+"/api/v1/tokens/revoke", *token, body, &out); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "revoked %s\n", out.ID)
	return err
}
