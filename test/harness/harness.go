// Package harness starts the whole Butler program in-process for
// end-to-end tests, on port 0 with a temporary data directory and a clock
// the test moves, and talks to it over real HTTP as a user would.
package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/httpapi"
)

// Clock is a clock the test moves.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Shanghai is the projects' local time zone.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Butler is a running program under test.
type Butler struct {
	T     testing.TB
	App   *app.App
	URL   string
	Clock *Clock
	Dir   string
	// Options are the options the program was started with.
	Options Options
	key     []byte
}

// Options tune Start.
type Options struct {
	// Dir is the data directory (default: a new temporary one).
	Dir string
	// Start is the clock's start (default 2026-03-02 09:00 Shanghai).
	Start time.Time
	// EventStore and Elasticsearch select the engines (default: embedded).
	EventStore, Elasticsearch, IndexPrefix string
	// Limits are the API's limits; unset, the rate limits are off (the
	// journeys send requests faster than a person would).
	Limits *httpapi.Limits
	// Tune, when set, changes the configuration before the start.
	Tune func(*app.Config)
}

// Start runs Butler until the test ends.
func Start(t testing.TB, o Options) *Butler {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 3, 2, 9, 0, 0, 0, Shanghai)
	}
	clock := NewClock(o.Start)
	level := slog.LevelWarn
	if os.Getenv("BUTLER_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	cfg := app.Config{
		Addr: "127.0.0.1:0", DataDir: o.Dir, Clock: clock, PolicyInterval: 50 * time.Millisecond,
		// Checkpoints are signed when a test asks (App.Audit().SignNow), so
		// that none lands between two reads of the log's head.
		AuditInterval: time.Hour, AuditEvery: 1 << 40,
		EventStore: o.EventStore, Elasticsearch: o.Elasticsearch, IndexPrefix: o.IndexPrefix,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	}
	cfg.Limits = httpapi.Limits{AddressRate: -1, TokenRate: -1}
	if o.Limits != nil {
		cfg.Limits = *o.Limits
	}
	if o.Tune != nil {
		o.Tune(&cfg)
	}
	if o.Elasticsearch != "" && o.IndexPrefix != "" {
		// Registered first, so it runs after the program has closed.
		t.Cleanup(func() { DeleteIndices(t, o.Elasticsearch, o.IndexPrefix) })
	}
	a, err := app.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("starting butler: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Close(context.Background()); err != nil {
			t.Errorf("closing butler: %v", err)
		}
	})
	key, err := auth.LoadOrCreateKey(filepath.Join(o.Dir, auth.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	return &Butler{T: t, App: a, URL: "http://" + a.Addr(), Clock: clock, Dir: o.Dir, Options: o, key: key}
}

// Token issues a bearer token for a principal.
func (b *Butler) Token(role, staff, project, district string) string {
	b.T.Helper()
	tok, err := auth.NewIssuer(b.key, nil).Issue(commands.Principal{StaffID: staff, Role: role, Project: project, District: district}, time.Hour)
	if err != nil {
		b.T.Fatalf("issuing token: %v", err)
	}
	return tok
}

// Response is an HTTP answer with its body decoded as JSON (when it is).
type Response struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

// Do sends a request; body is marshalled to JSON unless it is a string or []byte.
func (b *Butler) Do(method, path, token string, body any, headers ...string) Response {
	b.T.Helper()
	var r io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(v)
	case []byte:
		r = bytes.NewReader(v)
	default:
		buf, err := json.Marshal(v)
		if err != nil {
			b.T.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, b.URL+path, r)
	if err != nil {
		b.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.T.Fatal(err)
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &out.JSON)
	return out
}

// Must sends a request and fails the test unless the status is want.
func (b *Butler) Must(want int, method, path, token string, body any, headers ...string) Response {
	b.T.Helper()
	r := b.Do(method, path, token, body, headers...)
	if r.Status != want {
		b.T.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Raw)
	}
	return r
}

// Eventually polls f until it returns nil or the timeout passes.
func (b *Butler) Eventually(timeout time.Duration, f func() error) {
	b.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			b.T.Fatalf("not true within %s: %v", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitFor polls GET path until check accepts the JSON body (within 5 s;
// 15 s on Elasticsearch).
func (b *Butler) WaitFor(path, token string, check func(map[string]any) error) map[string]any {
	b.T.Helper()
	var last map[string]any
	within := 5 * time.Second
	if b.Options.Elasticsearch != "" {
		within = 15 * time.Second // one test node shared by every parallel test
	}
	b.Eventually(within, func() error {
		r := b.Do(http.MethodGet, path, token, nil)
		if r.Status != http.StatusOK {
			return fmt.Errorf("GET %s: %d %s", path, r.Status, r.Raw)
		}
		last = r.JSON
		return check(r.JSON)
	})
	return last
}

// Problem checks that r is a problem+json answer with status and code.
func Problem(t testing.TB, r Response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	if got, _ := r.JSON["code"].(string); got != code {
		t.Fatalf("problem code %q, want %q: %s", got, code, r.Raw)
	}
}

// Onboard registers a staff member in project p1 and records their
// training and a passed onboarding assessment, as sup (a supervisor's
// token), so that their token may write once the project's register is in
// force (R-S2, commands.OnDuty). A supervisor onboards themselves first,
// while the register is being set up.
func (b *Butler) Onboard(sup, staffID, role, district string) {
	b.T.Helper()
	reg := map[string]any{"staff_id": staffID, "name": "员工" + staffID, "role": role}
	if district != "" {
		reg["district"] = district
	}
	b.Must(http.StatusCreated, http.MethodPost, "/api/v1/staff", sup, reg)
	b.Must(http.StatusOK, http.MethodPost, "/api/v1/staff/"+staffID+"/training", sup, map[string]any{"session": "入职培训", "topic": "服务规范"})
	b.Must(http.StatusOK, http.MethodPost, "/api/v1/staff/"+staffID+"/assessments", sup, map[string]any{"kind": "written", "onboarding": true, "score": 90})
}
