package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/infra/httpapi"
	"github.com/butler-pm/butler/test/harness"
)

// dial opens a raw connection to the server, for the clients no HTTP
// library would be: slow, idle, oversized.
func dial(t *testing.T, b *harness.Butler) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(b.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// closedWithin reports whether the server closes conn within d (reading
// and discarding whatever it answers first).
func closedWithin(conn net.Conn, d time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	return err == nil // io.Copy reports EOF as nil; a deadline as an error
}

// A client sending its body a byte at a time is cut off at the read
// timeout; a keep-alive connection left idle is closed at the idle timeout.
func TestSlowAndIdleClientsAreCutOff(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{Tune: func(c *app.Config) {
		c.ReadTimeout, c.IdleTimeout = time.Second, time.Second
	}})
	tok := b.Token("butler", "b-001", "p1", "d1")

	slow := dial(t, b)
	fmt.Fprintf(slow, "POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n", tok)
	start := time.Now()
	go func() {
		for i := 0; i < 20; i++ {
			if _, err := slow.Write([]byte(" ")); err != nil {
				return
			}
			time.Sleep(300 * time.Millisecond)
		}
	}()
	if !closedWithin(slow, 4*time.Second) {
		t.Fatal("a client sending one byte every 300 ms was still connected after 4 s (read timeout 1 s)")
	}
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Fatalf("the slow client was cut off after %s, before the read timeout", took)
	}

	idle := dial(t, b)
	fmt.Fprint(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	if !closedWithin(idle, 3*time.Second) {
		t.Fatal("an idle keep-alive connection was still open after 3 s (idle timeout 1 s)")
	}
}

// Limits on what one request may carry: headers, the correlation id, q.
func TestRequestLimits(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")

	// Headers larger than 64 KiB: 431 from the HTTP server itself.
	r := b.Do("GET", "/api/v1/complaints", sup, nil, "X-Correlation-ID", strings.Repeat("a", 100_000))
	if r.Status != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("100 KB header: %d, want 431", r.Status)
	}
	for name, v := range map[string]string{"129 characters": strings.Repeat("a", 129), "a space": "a b", "a slash": "../x", "non-ASCII": "投诉"} {
		r := b.Do("POST", "/api/v1/complaints", sup, map[string]any{}, "X-Correlation-ID", v)
		harness.Problem(t, r, 400, "invalid_correlation_id")
		_ = name
	}
	butler := b.Token("butler", "b-001", "p1", "d1")
	id := b.Must(201, "POST", "/api/v1/complaints", butler, map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678",
		"category": "漏水", "description": "卫生间漏水", "soothing": "已安抚"}, "X-Correlation-ID", "req-2026.11:abc_1").JSON["id"].(string)
	h := b.Must(200, "GET", "/api/v1/complaints/"+id+"/history", sup, nil)
	if got := h.JSON["events"].([]any)[0].(map[string]any)["correlation_id"]; got != "req-2026.11:abc_1" {
		t.Fatalf("correlation id recorded %v", got)
	}

	long := strings.Repeat("漏", 257)
	r = b.Do("GET", "/api/v1/complaints?q="+long, sup, nil)
	harness.Problem(t, r, 400, "invalid_query")
	if !strings.Contains(fmt.Sprint(r.JSON["fields"]), "q:") {
		t.Fatalf("fields %v do not name q", r.JSON["fields"])
	}
	b.Must(200, "GET", "/api/v1/complaints?q="+long[:256*len("漏")], sup, nil)

	// Malformed query values are 400, never ignored or 500.
	for _, q := range []string{"facets=maybe", "month=2026-13", "month=26-1", "cursor=garbage", "size=-1", "sort=owner"} {
		harness.Problem(t, b.Do("GET", "/api/v1/complaints?"+q, sup, nil), 400, map[bool]string{true: "invalid_cursor", false: "invalid_query"}[strings.HasPrefix(q, "cursor")])
	}
	b.Must(200, "GET", "/api/v1/complaints?facets=false&month=2026-03", sup, nil)
}

// A known path under a method it does not have is 405 with Allow; an
// unknown path is 404.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	for path, allow := range map[string]string{
		"/api/v1/complaints": "GET, POST",
		"/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001":       "GET",
		"/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001/close": "POST",
	} {
		for _, m := range []string{"DELETE", "PUT", "PATCH"} {
			r := b.Do(m, path, sup, nil)
			harness.Problem(t, r, 405, "method_not_allowed")
			if got := r.Header.Get("Allow"); got != allow {
				t.Errorf("%s %s: Allow %q, want %q", m, path, got, allow)
			}
		}
	}
	harness.Problem(t, b.Do("GET", "/api/v1/no-such-thing", sup, nil), 404, "route_not_found")
	harness.Problem(t, b.Do("POST", "/api/v1/no-such-thing", sup, nil), 404, "route_not_found")
	r := b.Do("DELETE", "/healthz", "", nil)
	if r.Status != 405 || r.Header.Get("Allow") == "" {
		t.Fatalf("DELETE /healthz: %d Allow %q", r.Status, r.Header.Get("Allow"))
	}
}

// Per-token and per-address token buckets: past the burst, 429 with
// Retry-After, as problem+json.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{Limits: &httpapi.Limits{TokenRate: 1, AddressRate: 5}})
	sup := b.Token("supervisor", "s-001", "p1", "")
	other := b.Token("supervisor", "s-002", "p1", "")
	var limited harness.Response
	for i := 0; i < 4 && limited.Status == 0; i++ {
		if r := b.Do("GET", "/api/v1/complaints", sup, nil); r.Status == 429 {
			limited = r
		}
	}
	harness.Problem(t, limited, 429, "rate_limited")
	if ra := limited.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After %q", ra)
	}
	// Another token still has its own bucket (the address allows 10 at once).
	b.Must(200, "GET", "/api/v1/complaints", other, nil)

	// Bad tokens from one address: the address bucket runs dry too. (It
	// refills at 5 a second, so on a slow machine a 401 may come between
	// the 429s: what matters is that the 429s come.)
	var statuses []int
	limitedAt := -1
	for i := 0; i < 40 && limitedAt < 0; i++ {
		r := b.Do("GET", "/api/v1/complaints", "not-a-token", nil)
		statuses = append(statuses, r.Status)
		if r.Status == 429 {
			limitedAt = i
			harness.Problem(t, r, 429, "rate_limited")
		}
	}
	if statuses[0] != 401 || limitedAt < 0 {
		t.Fatalf("bad tokens from one address: %v, want 401s and then 429", statuses)
	}
}

// The access log: one line per request with the route pattern, status,
// staff and correlation id, at INFO for client errors, and never the
// query text, a token, or the filer of an integrity report.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var buf bytes.Buffer
	b := harness.Start(t, harness.Options{Tune: func(c *app.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}})
	sup := b.Token("supervisor", "s-001", "p1", "")
	butler := b.Token("butler", "b-007", "p1", "d1")
	b.Must(200, "GET", "/api/v1/complaints?q=王秀英", sup, nil, "X-Correlation-ID", "corr-1")
	b.Do("GET", "/api/v1/complaints", "bad-token", nil)
	b.Do("GET", "/api/v1/complaints?cursor=garbage", sup, nil)
	b.Must(201, "POST", "/api/v1/integrity-reports", butler, map[string]any{"subject": "某收费员", "content": "收费不给票据", "anonymous": true})
	mu.Lock()
	log := buf.String()
	mu.Unlock()
	var lines []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, `"msg":"http"`) {
			lines = append(lines, l)
		}
	}
	want := []string{
		`"method":"GET","route":"/api/v1/complaints","status":200`,
		`"route":"/api/v1/complaints","status":401`,
		`"route":"/api/v1/complaints","status":400`,
		`"method":"POST","route":"/api/v1/integrity-reports","status":201`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d access lines, want %d:\n%s", len(lines), len(want), log)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) || !strings.Contains(lines[i], `"level":"INFO"`) {
			t.Errorf("line %d: %s\nwant %s at INFO", i, lines[i], w)
		}
	}
	if !strings.Contains(lines[0], `"staff":"s-001"`) || !strings.Contains(lines[0], `"correlation_id":"corr-1"`) {
		t.Errorf("first line lacks staff or correlation id: %s", lines[0])
	}
	for _, secret := range []string{"王秀英", sup, "bad-token", "b-007", "收费不给票据"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	if strings.Contains(log, `"level":"ERROR"`) {
		t.Errorf("client errors logged at ERROR:\n%s", log)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
