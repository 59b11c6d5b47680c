package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"
)

// projectionsCmd asks a running server about its projections: the running
// process holds the embedded store, so these go through its admin API.
func projectionsCmd(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("projections "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", env("BUTLER_SERVER", "http://127.0.0.1:8080"), "base URL of a running butler (env BUTLER_SERVER)")
	token := fs.String("token", env("BUTLER_TOKEN", ""), "bearer token of a project manager, quality or auditor (env BUTLER_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" {
		return fmt.Errorf("projections %s: --token (or BUTLER_TOKEN) is required", sub)
	}
	base := strings.TrimRight(*server, "/") + "/api/v1/admin/projections"
	switch sub {
	case "status":
		var out struct {
			Projections []struct {
				Name          string  `json:"name"`
				Checkpoint    uint64  `json:"checkpoint"`
				Head          uint64  `json:"head"`
				LagEvents     uint64  `json:"lag_events"`
				LagSeconds    float64 `json:"lag_seconds"`
				EventsHandled uint64  `json:"events_handled"`
				Refused       uint64  `json:"refused"`
				LastError     string  `json:"last_error"`
			} `json:"projections"`
		}
		if err := call(ctx, http.MethodGet, base, *token, nil, &out); err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PROJECTION\tCHECKPOINT\tHEAD\tLAG EVENTS\tLAG SECONDS\tHANDLED\tREFUSED\tLAST ERROR")
		for _, p := range out.Projections {
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%.1f\t%d\t%d\t%s\n", p.Name, p.Checkpoint, p.Head, p.LagEvents, p.LagSeconds, p.EventsHandled, p.Refused, p.LastError)
		}
		return w.Flush()
	case "rebuild":
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: butler projections rebuild [--server URL] [--token T] NAME")
		}
		var out map[string]any
		if err := call(ctx, http.MethodPost, base+"/"+fs.Arg(0)+"/rebuild", *token, nil, &out); err != nil {
			return err
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		_, err := fmt.Fprintln(stdout, string(b))
		return err
	}
	return fmt.Errorf("unknown projections command %q (status or rebuild)", sub)
}

// call sends a request to a running server (body, when not nil, as JSON)
// and decodes its JSON answer into out.
func call(ctx context.Context, method, url, token string, body, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, strings.TrimSpace(string(answer)))
	}
	return json.Unmarshal(answer, out)
}
