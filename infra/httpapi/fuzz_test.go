package httpapi

import (
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// Every answer to any input is the server's considered answer: a 2xx, or a
// 4xx problem+json (503 only when a bound is reached); never a panic, a
// 500, or a plain-text error. Seeds: testdata/fuzz/<FuzzName>/.

func checkAnswer(t *testing.T, what string, code int, contentType, body string) {
	t.Helper()
	if code >= 500 {
		t.Fatalf("%s: %d %s", what, code, body)
	}
	if code >= 400 && contentType != "application/problem+json" {
		t.Fatalf("%s: %d with content type %q: %s", what, code, contentType, body)
	}
}

// commandTargets are the routes the body fuzzer posts to: a record's
// creation, a command on a record, the staff register, an integrity
// report, a revocation.
var commandTargets = []string{
	"/api/v1/complaints",
	"/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001/follow-up",
	"/api/v1/work-orders",
	"/api/v1/staff",
	"/api/v1/integrity-reports",
	"/api/v1/tokens/revoke",
}

// FuzzCommandBody: the JSON binder (bind.go) and the handlers behind it.
func FuzzCommandBody(f *testing.F) {
	h := newTestAPI(f, nil)
	f.Fuzz(func(t *testing.T, target uint8, contentType string, body []byte) {
		path := commandTargets[int(target)%len(commandTargets)]
		tok := "pm"
		if target%2 == 1 {
			tok = "butler"
		}
		w := serveBody(h, path, tok, contentType, body)
		checkAnswer(t, "POST "+path, w.Code, w.Header().Get("Content-Type"), w.Body.String())
	})
}

// FuzzListQuery: the list query parser (reads.go listQuery: q, filters,
// month, from/to, sort, size, offset, facets) and cursors.
func FuzzListQuery(f *testing.F) {
	h := newTestAPI(f, nil)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest("GET", "/api/v1/complaints", nil)
		req.URL.RawQuery = rawQuery
		req.Header.Set("Authorization", "Bearer sup")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		checkAnswer(t, "GET ?"+rawQuery, w.Code, w.Header().Get("Content-Type"), w.Body.String())
	})
}

// FuzzTimeParam: as_of, from and to (times.go), directly and on a detail.
func FuzzTimeParam(f *testing.F) {
	h := newTestAPI(f, nil)
	zone, _ := time.LoadLocation("Asia/Shanghai")
	if zone == nil {
		zone = time.UTC
	}
	f.Fuzz(func(t *testing.T, name, v string) {
		for _, n := range []string{name, "as_of", "from", "to"} {
			if tm, err := timeParam(n, v, zone); err == nil && tm.IsZero() && v != "0001-01-01T00:00:00Z" {
				t.Fatalf("timeParam(%q, %q) = zero time without an error", n, v)
			}
		}
		q := url.Values{"as_of": {v}}.Encode()
		w := serve(h, "GET", "/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001?"+q, "sup", "")
		checkAnswer(t, "as_of="+v, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		q = url.Values{"from": {v}, "to": {v}}.Encode()
		w = serve(h, "GET", "/api/v1/complaints?"+q, "sup", "")
		checkAnswer(t, "from/to="+v, w.Code, w.Header().Get("Content-Type"), w.Body.String())
	})
}

// FuzzHeaders: the bearer scheme, X-Correlation-ID and If-Match.
func FuzzHeaders(f *testing.F) {
	h := newTestAPI(f, nil)
	f.Fuzz(func(t *testing.T, authorization, correlation, ifMatch string) {
		w := serve(h, "POST", "/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001/follow-up", "", `{"channel":"phone","note":"x"}`,
			"Authorization", authorization, "X-Correlation-ID", correlation, "If-Match", ifMatch)
		checkAnswer(t, "headers", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	})
}
