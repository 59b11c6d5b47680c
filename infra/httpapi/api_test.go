package httpapi

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/personal"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// memEvents is an in-memory event store: commands append to it, histories
// and as_of read it.
type memEvents struct {
	mu      sync.Mutex
	streams map[string][]event.Recorded
	all     []event.Recorded
}

func (s *memEvents) Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.streams[stream]
	current := uint64(len(recs)) - 1
	if !expected.Check(current, len(recs) > 0) {
		return event.AppendResult{}, &event.ConflictError{Stream: stream, Expected: expected, Actual: current, Exists: len(recs) > 0}
	}
	for _, e := range events {
		r := event.Recorded{Event: e, Stream: stream, Revision: uint64(len(recs)), Position: event.Position(len(s.all) + 1), RecordedAt: time.Now()}
		recs = append(recs, r)
		s.all = append(s.all, r)
	}
	s.streams[stream] = recs
	return event.AppendResult{NextRevision: uint64(len(recs)) - 1, Position: event.Position(len(s.all))}, nil
}

func (s *memEvents) ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.streams[stream]
	if len(recs) == 0 {
		return nil, event.ErrStreamNotFound
	}
	var out []event.Recorded
	if dir == event.Backward {
		for i := int(min(from, uint64(len(recs)-1))); i >= 0 && len(out) < max; i-- {
			out = append(out, recs[i])
		}
		return out, nil
	}
	for i := from; i < uint64(len(recs)) && len(out) < max; i++ {
		out = append(out, recs[i])
	}
	return out, nil
}

func (s *memEvents) ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []event.Recorded
	if dir == event.Backward {
		start := len(s.all) - 1
		if from != event.End && int(from)-1 < start {
			start = int(from) - 1
		}
		for i := start; i >= 0 && len(out) < max; i-- {
			out = append(out, s.all[i])
		}
		return out, nil
	}
	for i := int(from); i < len(s.all) && len(out) < max; i++ {
		out = append(out, s.all[i])
	}
	return out, nil
}

// tokens accepts "sup", "butler" and "pm", each a principal of p1.
type tokens struct{}

func (tokens) Verify(tok string) (commands.Principal, error) {
	switch tok {
	case "sup":
		return commands.Principal{StaffID: "s-001", Role: commands.RoleSupervisor, Project: "p1"}, nil
	case "butler":
		return commands.Principal{StaffID: "b-001", Role: commands.RoleButler, Project: "p1", District: "d1"}, nil
	case "pm":
		return commands.Principal{StaffID: "pm-001", Role: commands.RoleProjectManager, Project: "p1"}, nil
	}
	return commands.Principal{}, io.ErrUnexpectedEOF
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now().UTC() }

// slowReads holds every Search until release is closed (nil: no wait).
type slowReads struct {
	ReadModels
	release chan struct{}
}

func (r slowReads) Search(ctx context.Context, index string, q projections.Query) (projections.Result, error) {
	if r.release != nil {
		<-r.release
	}
	return r.ReadModels.Search(ctx, index, q)
}

// newTestAPI builds the real handler on in-memory stores holding the
// complaints read model (one document).
func newTestAPI(t testing.TB, tune func(*Deps)) http.Handler {
	t.Helper()
	reads := blevestore.OpenMemory()
	t.Cleanup(func() { reads.Close() })
	ctx := context.Background()
	if err := reads.EnsureIndex(ctx, projections.Complaints.Schema()); err != nil {
		t.Fatal(err)
	}
	doc := projections.Document{ID: "0190a1b2-0000-7000-8000-000000000001", Version: 0,
		Source: []byte(`{"id":"0190a1b2-0000-7000-8000-000000000001","project":"p1","district":"d1","status":"registered","category":"漏水","description":"卫生间漏水","registered_at":"2026-03-02T01:00:00Z"}`)}
	if err := reads.Write(ctx, projections.Complaints.Name(), []projections.Document{doc}, 1); err != nil {
		t.Fatal(err)
	}
	events := &memEvents{streams: map[string][]event.Recorded{}}
	d := Deps{
		Tokens: tokens{}, Events: events, Reads: slowReads{ReadModels: reads}, Commands: commands.NewHandlers(events, wallClock{}, nil, personal.NewMemorySealer()),
		Projections: []projections.Projection{projections.Complaints},
		Scratch:     func() Scratch { return blevestore.OpenMemory() },
		Ready:       func(context.Context) error { return nil },
		Logger:      slog.New(slog.DiscardHandler),
		Limits:      Limits{AddressRate: -1, TokenRate: -1},
		TokenID: func(tok string) (string, commands.Principal, error) {
			p, err := tokens{}.Verify(tok)
			return "jti-" + tok, p, err
		},
		Revoke: commands.NewHandlers(events, wallClock{}, nil, personal.NewMemorySealer()).Token.Revoke.Handle,
	}
	if tune != nil {
		tune(&d)
	}
	return New(d)
}

func serve(h http.Handler, method, target, token string, body string, headers ...string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// Searches beyond the bound wait, then get 503 search_busy with
// Retry-After; the ones running finish.
func TestConcurrentSearchesAreBounded(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := newTestAPI(t, func(d *Deps) {
		d.Reads = slowReads{ReadModels: d.Reads.(slowReads).ReadModels, release: release}
		d.Limits.Searches, d.Limits.SearchWait = 2, 50*time.Millisecond
	})
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- serve(h, "GET", "/api/v1/complaints?q=漏水", "sup", "").Code
		}()
	}
	time.Sleep(100 * time.Millisecond) // both hold their slots
	w := serve(h, "GET", "/api/v1/complaints?q=漏水", "sup", "")
	if w.Code != 503 || !strings.Contains(w.Body.String(), `"code":"search_busy"`) || w.Header().Get("Retry-After") == "" {
		t.Fatalf("third search: %d %s (Retry-After %q)", w.Code, w.Body, w.Header().Get("Retry-After"))
	}
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("a search holding a slot answered %d", c)
		}
	}
	if w := serve(h, "GET", "/api/v1/complaints", "sup", ""); w.Code != 200 {
		t.Fatalf("after the others ended: %d", w.Code)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := newTestAPI(t, nil)
	for target, allow := range map[string]string{
		"/api/v1/complaints": "GET, POST",
		"/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001":       "GET",
		"/api/v1/complaints/0190a1b2-0000-7000-8000-000000000001/close": "POST",
		"/api/v1/tokens/revoke": "POST",
	} {
		w := serve(h, "DELETE", target, "sup", "")
		if w.Code != 405 || w.Header().Get("Allow") != allow || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("DELETE %s: %d Allow %q, want 405 Allow %q: %s", target, w.Code, w.Header().Get("Allow"), allow, w.Body)
		}
	}
	if w := serve(h, "GET", "/api/v1/nothing", "sup", ""); w.Code != 404 {
		t.Errorf("unknown path: %d", w.Code)
	}
}

// serveBody posts body as it is, with contentType (none when empty).
func serveBody(h http.Handler, target, token, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", target, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}
