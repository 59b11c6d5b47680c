package elasticstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

func eventPos(p uint64) event.Position { return event.Position(p) }

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMappingPerFieldKind(t *testing.T) {
	t.Parallel()
	s := &Store{prefix: "butler-", replicas: 0}
	body := s.indexBody(projections.Schema{Name: "complaints", Fields: map[string]projections.FieldKind{
		"title": projections.Text, "status": projections.Keyword, "at": projections.Date,
		"floor": projections.Number, "urgent": projections.Bool,
	}}, "butler-complaints")
	got := asJSON(t, body)
	for _, want := range []string{
		`"title":{"analyzer":"cjk","copy_to":["@text"],"type":"text"}`,
		`"@text":{"analyzer":"cjk","type":"text"}`,
		`"@id":{"type":"keyword"}`,
		`"status":{"ignore_above":4096,"type":"keyword"}`,
		`"at":{"ignore_malformed":true,"type":"date_nanos"}`,
		`"floor":{"ignore_malformed":true,"type":"double"}`,
		`"urgent":{"type":"boolean"}`,
		`"dynamic":false`,
		`"_source":{"excludes":["@id"]}`,
		`"number_of_replicas":0`,
		`"refresh_interval":"500ms"`,
		`"aliases":{"butler-complaints":{}}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("index body lacks %s:\n%s", want, got)
		}
	}
}

func TestSearchBody(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 1, 16, 0, 0, 1, time.FixedZone("CST", 8*3600))
	body, err := searchBody(projections.Query{
		Text:   "漏水 电梯",
		Terms:  map[string][]string{"status": {"open", "assigned"}, "district": {"d1"}, "empty": nil},
		Ranges: []projections.Range{{Field: "at", Min: at}, {Field: "floor", Max: 3}, {Field: "open"}},
		Sort:   []projections.Sort{{Field: "at", Desc: true}},
		Size:   5000,
		Facets: []string{"status"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"aggs":{"facet0":{"terms":{"field":"status","size":50}}},` +
		`"query":{"bool":{` +
		`"filter":[{"terms":{"district":["d1"]}},{"terms":{"status":["open","assigned"]}},` +
		`{"range":{"at":{"format":"strict_date_optional_time_nanos","gte":"2026-05-01T08:00:00.000000001Z"}}},` +
		`{"range":{"floor":{"lt":3}}}],` +
		`"must":[{"match":{"@text":{"operator":"and","query":"漏水"}}},{"match":{"@text":{"operator":"and","query":"电梯"}}}],` +
		`"must_not":[{"ids":{"values":["@butler:checkpoint"]}}]}},` +
		`"size":1000,` +
		`"sort":[{"at":{"missing":"_last","order":"desc"}},{"@id":{"order":"asc"}}],` +
		`"track_total_hits":true,"version":true}`
	if got := asJSON(t, body); got != want {
		t.Errorf("search body\n got %s\nwant %s", got, want)
	}
}

func TestDefaultOrder(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		q    projections.Query
		want string
	}{
		{projections.Query{}, `[{"@id":{"order":"asc"}}]`},
		{projections.Query{Text: "漏水"}, `[{"_score":{"order":"desc"}},{"@id":{"order":"asc"}}]`},
		{projections.Query{Text: "漏水", Sort: []projections.Sort{{Field: "status"}}}, `[{"status":{"missing":"_last","order":"asc"}},{"@id":{"order":"asc"}}]`},
	} {
		if got := asJSON(t, sortClauses(c.q)); got != c.want {
			t.Errorf("sortClauses(%+v) = %s, want %s", c.q, got, c.want)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	t.Parallel()
	for name, q := range map[string]projections.Query{
		"after with from":        {After: encodeCursor([]json.RawMessage{json.RawMessage(`"a"`)}), From: 3},
		"bad cursor":             {After: "!!"},
		"cursor of a sort":       {After: encodeCursor([]json.RawMessage{json.RawMessage(`1`), json.RawMessage(`"a"`)})},
		"text and number bounds": {Ranges: []projections.Range{{Field: "at", Min: "a", Max: 3.0}}},
		"text and time bounds":   {Ranges: []projections.Range{{Field: "at", Min: "a", Max: time.Now()}}},
		"mixed range bounds":     {Ranges: []projections.Range{{Field: "at", Min: time.Now(), Max: 3.0}}},
	} {
		if _, err := searchBody(q); err == nil {
			t.Errorf("%s: searchBody succeeded, want an error", name)
		}
	}
}

func TestKeywordRangeIsATextRange(t *testing.T) {
	t.Parallel()
	got, err := rangeQuery(projections.Range{Field: "seq", Min: "0001", Max: "0009"})
	if err != nil {
		t.Fatal(err)
	}
	if s := asJSON(t, got); s != `{"range":{"seq":{"gte":"0001","lt":"0009"}}}` {
		t.Fatalf("keyword range %s", s)
	}
}

// Epoch nanoseconds exceed a float64's precision: the cursor must carry
// sort values verbatim.
func TestCursorKeepsSortValuesExactly(t *testing.T) {
	t.Parallel()
	vals := []json.RawMessage{json.RawMessage(`1777622400000000001`), json.RawMessage(`"doc-7"`)}
	got, err := decodeCursor(encodeCursor(vals), 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, vals) {
		t.Errorf("cursor round trip = %s, want %s", got, vals)
	}
}

func TestWithID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"a":1}`:                `{"@id":"x\"1","a":1}`,
		" \n{ \"a\" : [1, 2] } ": `{"@id":"x\"1","a":[1,2]}`,
		`{}`:                     `{"@id":"x\"1"}`,
		``:                       `{"@id":"x\"1"}`,
	} {
		got, err := withID(`x"1`, json.RawMessage(in))
		if err != nil || string(got) != want {
			t.Errorf("withID(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{`[1]`, `"s"`, `{"a":`} {
		if _, err := withID("x", json.RawMessage(bad)); err == nil {
			t.Errorf("withID(%q) succeeded, want an error", bad)
		}
	}
}

func TestBulkItemsKeepHighestVersion(t *testing.T) {
	t.Parallel()
	docs := latestVersions([]projections.Document{
		{ID: "a", Version: 2, Source: json.RawMessage(`{"s":"a2"}`)},
		{ID: "a", Version: 3, Source: json.RawMessage(`{"s":"a3"}`)},
		{ID: "b", Version: 9, Source: json.RawMessage(`{"s":"b9"}`)},
		{ID: "a", Version: 1, Source: json.RawMessage(`{"s":"a1"}`)},
	})
	items, err := bulkItems("butler-x-000001", docs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		body, _ := io.ReadAll(it.Body)
		got = append(got, fmt.Sprintf("%s %s %s v%d %s %s", it.Action, it.Index, it.DocumentID, *it.Version, it.VersionType, body))
	}
	want := []string{
		`index butler-x-000001 a v3 external {"@id":"a","s":"a3"}`,
		`index butler-x-000001 b v9 external {"@id":"b","s":"b9"}`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bulk items = %q, want %q", got, want)
	}
	if _, err := bulkItems("i", []projections.Document{{ID: checkpointID, Source: json.RawMessage(`{}`)}}); err == nil {
		t.Error("a document with the checkpoint's id was accepted")
	}
	if _, err := bulkItems("i", []projections.Document{{ID: "x", Version: 1 << 63, Source: json.RawMessage(`{}`)}}); err == nil {
		t.Error("a version beyond Elasticsearch's range was accepted")
	}
}

// fakeES answers like Elasticsearch (with the product header) and records
// the requests it gets; _bulk items get the status status[id] (201 when
// absent), in the order they came.
type fakeES struct {
	mu       sync.Mutex
	requests []string
	status   map[string]int
}

func (f *fakeES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	w.Header().Set("X-Elastic-Product", "Elasticsearch")
	w.Header().Set("Content-Type", "application/json")
	if !strings.HasSuffix(r.URL.Path, "/_bulk") {
		io.WriteString(w, `{}`)
		return
	}
	if !bytes.HasSuffix(body, []byte("\n")) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var items []map[string]any
	errs := false
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	for i := 0; i+1 < len(lines); i += 2 {
		var action map[string]struct {
			ID string `json:"_id"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &action); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		id := action["index"].ID
		st, ok := f.status[id]
		if !ok {
			st = http.StatusCreated
		}
		res := map[string]any{"_id": id, "status": st}
		if st >= 300 {
			errs = true
			res["error"] = map[string]string{"type": "refused", "reason": "by the test"}
		}
		items = append(items, map[string]any{"index": res})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": errs, "items": items})
}

func TestStaleWritesAreSkippedOtherRefusalsFail(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name           string
		status         map[string]int
		wantErr        bool
		wantCheckpoint bool
	}{
		{"all written", nil, false, true},
		{"version conflict", map[string]int{"a": http.StatusConflict}, false, true},
		{"mapping refusal", map[string]int{"b": http.StatusBadRequest}, true, false},
	} {
		f := &fakeES{status: c.status}
		srv := httptest.NewServer(f)
		s, err := Open(t.Context(), srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Write(t.Context(), "complaints", []projections.Document{
			{ID: "a", Version: 1, Source: json.RawMessage(`{}`)}, {ID: "b", Version: 1, Source: json.RawMessage(`{}`)},
		}, 7)
		if (err != nil) != c.wantErr {
			t.Errorf("%s: Write error = %v, want error %v", c.name, err, c.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "b: 400") {
			t.Errorf("%s: error %q does not name the refused document", c.name, err)
		}
		f.mu.Lock()
		reqs := strings.Join(f.requests, "\n")
		f.mu.Unlock()
		if !strings.Contains(reqs, "/_bulk") {
			t.Errorf("%s: no _bulk request (requests %v)", c.name, reqs)
		}
		wroteCP := strings.Contains(reqs, "PUT /butler-complaints/_doc/@butler:checkpoint")
		if wroteCP != c.wantCheckpoint {
			t.Errorf("%s: checkpoint written = %v, want %v (requests %v)", c.name, wroteCP, c.wantCheckpoint, reqs)
		}
		if err := s.Close(); err != nil {
			t.Errorf("%s: Close: %v", c.name, err)
		}
		if err := s.Write(t.Context(), "complaints", []projections.Document{{ID: "c", Version: 1, Source: json.RawMessage(`{}`)}}, 8); err == nil {
			t.Errorf("%s: Write after Close succeeded", c.name)
		}
		srv.Close()
	}
}

// go-elasticsearch refuses a server without the product header; Open must
// report that instead of failing on the first write.
func TestOpenRefusesAServerThatIsNotElasticsearch(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"version":{"number":"8.14.3"}}`)
	}))
	defer srv.Close()
	if _, err := Open(t.Context(), srv.URL); err == nil {
		t.Error("Open succeeded against a server without X-Elastic-Product")
	}
	if _, err := Open(t.Context(), "localhost:9200"); err == nil {
		t.Error("Open accepted a URL without a scheme")
	}
}
