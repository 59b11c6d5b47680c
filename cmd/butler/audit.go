package main

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/eventstore"
)

const auditUsage = `usage:
  butler audit verify [--data DIR | --eventstore esdb://…] [--checkpoint FILE]… [--public-key FILE]
  butler audit verify --bundle FILE [--public-key FILE]
  butler audit export [--data DIR | --eventstore esdb://…] --from DATE --to DATE --out FILE [--project P]`

func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(auditUsage)
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], stdout, stderr)
	case "export":
		return auditExport(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown audit command %q\n%s", args[0], auditUsage)
}

// storeFlags are the flags that choose the event store to read.
type storeFlags struct {
	data, eventstore, auditKey string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", env("BUTLER_DATA", "./data"), "data directory (env BUTLER_DATA)")
	fs.StringVar(&f.eventstore, "eventstore", env("BUTLER_EVENTSTORE", ""), "EventStoreDB connection string; empty: the embedded store in DATA (env BUTLER_EVENTSTORE)")
	fs.StringVar(&f.auditKey, "audit-key", env("BUTLER_AUDIT_KEY", ""), "the server's checkpoint signing key; default DATA/audit.key (env BUTLER_AUDIT_KEY)")
}

func (f *storeFlags) keyFile() string {
	if f.auditKey != "" {
		return f.auditKey
	}
	return filepath.Join(f.data, "audit.key")
}

func (f *storeFlags) open(ctx context.Context) (eventstore.Store, error) {
	if f.eventstore == "" {
		if _, err := os.Stat(filepath.Join(f.data, "events")); err != nil {
			return nil, fmt.Errorf("no event store in %s: %w", f.data, err)
		}
	}
	cfg := app.Config{DataDir: f.data, EventStore: f.eventstore}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s, err := app.OpenEventStore(ctx, cfg)
	if err != nil && f.eventstore == "" && strings.Contains(err.Error(), "lock") {
		return nil, fmt.Errorf("%w\nthe data directory is in use: stop the server on it, verify a backup, or verify through --eventstore", err)
	}
	return s, err
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	var saved, pubFiles multiFlag
	fs.Var(&saved, "checkpoint", "a signed checkpoint saved earlier (the JSON of GET /api/v1/audit/checkpoint): the log must extend it; repeatable")
	fs.Var(&pubFiles, "public-key", "a public key to check signatures with (PEM, or the JSON of GET /api/v1/audit/key); repeatable; default: the audit key's")
	bundle := fs.String("bundle", "", "check an exported bundle offline instead of a log")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("audit verify: unexpected arguments %v", fs.Args())
	}
	keys := audit.Keys{}
	for _, f := range pubFiles {
		k, err := readPublicKey(f)
		if err != nil {
			return err
		}
		keys = audit.NewKeys(append(keyList(keys), k)...)
	}
	if *bundle != "" {
		return verifyBundle(*bundle, keys, stdout)
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if len(keys) == 0 {
		priv, err := readPrivateKey(sf.keyFile())
		if err != nil {
			return fmt.Errorf("no key to check checkpoints with: %w (give --public-key or --audit-key)", err)
		}
		keys = audit.NewKeys(priv.Public().(ed25519.PublicKey))
	}
	opt := audit.VerifyOptions{Keys: keys}
	for _, f := range saved {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var c audit.Checkpoint
		if err := json.Unmarshal(b, &c); err != nil || c.RootHash == "" {
			return fmt.Errorf("--checkpoint %s: not a signed checkpoint (the JSON of GET /api/v1/audit/checkpoint)", f)
		}
		opt.Saved = append(opt.Saved, c)
	}
	if sf.eventstore == "" {
		opt.DerivedDir = filepath.Join(sf.data, "audit")
	}
	if isTerminal(stderr) {
		opt.Progress = func(p audit.Progress) { fmt.Fprintf(stderr, "\r\033[K%s", progressLine(p)) }
	}
	rep, err := audit.Verify(ctx, store, opt)
	if opt.Progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rep)
	}
	if !rep.OK() {
		return fmt.Errorf("verification failed: %d problem(s); the first: %s", rep.ProblemCount, rep.Problems[0])
	}
	return nil
}

func progressLine(p audit.Progress) string {
	rate := float64(p.Events) / max(p.Elapsed.Seconds(), 1e-3)
	line := fmt.Sprintf("verifying: %d events, %.0f events/s", p.Events, rate)
	if p.Head > 0 {
		frac := float64(p.Position) / float64(p.Head)
		line += fmt.Sprintf(", %.1f%%", 100*frac)
		if frac > 0 && frac < 1 {
			left := time.Duration(float64(p.Elapsed) * (1 - frac) / frac)
			line += fmt.Sprintf(", about %s left", left.Round(time.Second))
		}
	}
	return line
}

func printReport(w io.Writer, r audit.Report) {
	rate := float64(r.Events) / max(r.Elapsed.Seconds(), 1e-3)
	fmt.Fprintf(w, "events:       %d in %d streams, read and hashed in %s (%.0f events/s)\n", r.Events, r.Streams, r.Elapsed.Round(time.Millisecond), rate)
	fmt.Fprintf(w, "tree head:    %s\n", r.Root)
	fmt.Fprintf(w, "checkpoints:  %d recorded in the log; %d events after the last that matched\n", r.Checkpoints, r.Unsigned)
	if r.SavedChecked > 0 {
		fmt.Fprintf(w, "saved:        the log extends %d saved checkpoint(s)\n", r.SavedChecked)
	}
	if r.OK() {
		fmt.Fprintln(w, "result:       OK, nothing was altered")
		return
	}
	fmt.Fprintf(w, "result:       FAILED, %d problem(s)\n", r.ProblemCount)
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

func verifyBundle(path string, keys audit.Keys, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var b audit.Bundle
	if err := json.NewDecoder(f).Decode(&b); err != nil {
		return fmt.Errorf("--bundle %s: %w", path, err)
	}
	rep := audit.VerifyBundle(b, keys)
	fmt.Fprintf(stdout, "bundle:       %s, project %q, %s to %s\n", path, b.Project, b.From.Format(time.RFC3339), b.To.Format(time.RFC3339))
	fmt.Fprintf(stdout, "checkpoint:   %d events, signed %s by key %s\n", b.Checkpoint.TreeSize, b.Checkpoint.Time.Format(time.RFC3339), b.Checkpoint.KeyID)
	fmt.Fprintf(stdout, "events:       %d proven", rep.Events)
	if b.Pending > 0 {
		fmt.Fprintf(stdout, " (%d more of the period were recorded after the checkpoint)", b.Pending)
	}
	fmt.Fprintln(stdout)
	if len(keys) == 0 {
		fmt.Fprintln(stdout, "key:          the bundle's own (give --public-key to pin the server's key)")
	}
	if len(rep.Problems) == 0 {
		fmt.Fprintln(stdout, "result:       OK, every event is in the signed log")
		return nil
	}
	fmt.Fprintf(stdout, "result:       FAILED, %d problem(s)\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "  - %s\n", p)
	}
	return fmt.Errorf("bundle verification failed: %s", rep.Problems[0])
}

func auditExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	from := fs.String("from", "", "start of the period: YYYY-MM-DD (the day's start) or RFC 3339")
	to := fs.String("to", "", "end of the period, excluded: YYYY-MM-DD (the whole day is in) or RFC 3339; default now")
	out := fs.String("out", "", "the bundle file to write")
	project := fs.String("project", "", "only this project's events (default: every project)")
	zone := fs.String("timezone", env("BUTLER_TIMEZONE", "Asia/Shanghai"), "time zone of dates (env BUTLER_TIMEZONE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *from == "" {
		return errors.New("audit export: --from and --out are required\n" + auditUsage)
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return fmt.Errorf("--timezone %q: %w", *zone, err)
	}
	f := audit.ExportFilter{Project: *project, To: time.Now().Add(time.Second)}
	if f.From, err = cliTime(*from, loc, false); err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	if *to != "" {
		if f.To, err = cliTime(*to, loc, true); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
	}
	priv, err := readPrivateKey(sf.keyFile())
	if err != nil {
		return fmt.Errorf("the audit key signs the bundle's checkpoint: %w", err)
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	log, err := audit.Open(ctx, store, audit.Options{Signer: audit.NewSigner(priv)})
	if err != nil {
		return err
	}
	if err := log.CatchUp(ctx); err != nil {
		return err
	}
	// The period's last events may be newer than the last checkpoint:
	// sign one (recorded in the log like the server's) so that all are covered.
	if signed, err := log.SignNow(ctx); err != nil {
		return err
	} else if signed {
		if err := log.CatchUp(ctx); err != nil {
			return err
		}
	}
	tmp := *out + ".partial"
	w, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := log.Export(ctx, f, w); err != nil {
		w.Close()
		os.Remove(tmp)
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	c, _ := log.Latest()
	fmt.Fprintf(stdout, "wrote %s: the period's events with their proofs in the checkpoint of %d events signed %s\n", *out, c.TreeSize, c.Time.Format(time.RFC3339))
	return nil
}

// cliTime reads a date (the day's start in loc, or with end the next
// day's start, so that an excluded end takes the whole day) or an RFC
// 3339 time.
func cliTime(v string, loc *time.Location, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want YYYY-MM-DD or an RFC 3339 time", v)
	}
	if end {
		return d.AddDate(0, 0, 1), nil
	}
	return d, nil
}

func readPrivateKey(path string) (ed25519.PrivateKey, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return audit.LoadOrCreateKey(path)
}

// readPublicKey reads a PEM public key or the JSON of GET /api/v1/audit/key.
func readPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var desc audit.PublicKey
	if json.Unmarshal(b, &desc) == nil && desc.PublicKey != "" {
		return desc.Key()
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("--public-key %s: neither a PEM PUBLIC KEY nor the JSON of GET /api/v1/audit/key", path)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("--public-key %s: %w", path, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("--public-key %s: not an Ed25519 key", path)
	}
	return pub, nil
}

func keyList(k audit.Keys) []ed25519.PublicKey {
	out := make([]ed25519.PublicKey, 0, len(k))
	for _, p := range k {
		out = append(out, p)
	}
	return out
}

// isTerminal reports whether w is a terminal (progress lines are for people).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
