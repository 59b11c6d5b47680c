package eskeys_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/butler-pm/butler/infra/personal"
	"github.com/butler-pm/butler/infra/personal/eskeys"
	"github.com/butler-pm/butler/infra/personal/keystoretest"
)

// fakeNode answers the few Elasticsearch APIs the key store uses, as
// Elasticsearch 8 documents them: it checks the adapter's requests and its
// reading of the answers. It proves nothing about a real node: that is
// TestElasticsearchContract, with BUTLER_TEST_ELASTICSEARCH_URL.
type fakeNode struct {
	mu      sync.Mutex
	indices map[string]map[string]json.RawMessage
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	index := parts[0]
	docs, exists := f.indices[index]
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodPut:
		if exists {
			reply(400, map[string]any{"error": map[string]any{"type": "resource_already_exists_exception"}})
			return
		}
		f.indices[index] = map[string]json.RawMessage{}
		reply(200, map[string]any{"acknowledged": true})
	case len(parts) == 1 && r.Method == http.MethodDelete:
		delete(f.indices, index)
		reply(200, map[string]any{"acknowledged": true})
	case !exists:
		reply(404, map[string]any{"error": map[string]any{"type": "index_not_found_exception"}})
	case len(parts) == 3 && parts[1] == "_create" && r.Method == http.MethodPut:
		id, _ := url.PathUnescape(parts[2])
		if _, dup := docs[id]; dup {
			reply(409, map[string]any{"error": map[string]any{"type": "version_conflict_engine_exception"}})
			return
		}
		b, _ := io.ReadAll(r.Body)
		docs[id] = b
		reply(201, map[string]any{"_id": id, "result": "created"})
	case len(parts) == 3 && parts[1] == "_doc" && r.Method == http.MethodGet:
		id, _ := url.PathUnescape(parts[2])
		src, ok := docs[id]
		if !ok {
			reply(404, map[string]any{"_id": id, "found": false})
			return
		}
		reply(200, map[string]any{"_id": id, "found": true, "_source": src})
	case len(parts) == 3 && parts[1] == "_doc" && r.Method == http.MethodDelete:
		id, _ := url.PathUnescape(parts[2])
		if _, ok := docs[id]; !ok {
			reply(404, map[string]any{"result": "not_found"})
			return
		}
		delete(docs, id)
		reply(200, map[string]any{"result": "deleted"})
	case len(parts) == 2 && parts[1] == "_forcemerge" && r.Method == http.MethodPost:
		reply(200, map[string]any{"_shards": map[string]any{"failed": 0}})
	case len(parts) == 2 && parts[1] == "_search" && r.Method == http.MethodPost:
		var q struct {
			Size  int `json:"size"`
			Query struct {
				Term map[string]string `json:"term"`
			} `json:"query"`
		}
		_ = json.NewDecoder(r.Body).Decode(&q)
		type hit struct {
			ID     string          `json:"_id"`
			Source json.RawMessage `json:"_source"`
			doc    struct {
				Household string `json:"household"`
				KeyID     string `json:"key_id"`
				Created   int64  `json:"created"`
			}
		}
		var hits []hit
		for id, src := range docs {
			h := hit{ID: id, Source: src}
			_ = json.Unmarshal(src, &h.doc)
			if h.doc.Household == q.Query.Term["household"] {
				hits = append(hits, h)
			}
		}
		sort.Slice(hits, func(i, j int) bool {
			if hits[i].doc.Created != hits[j].doc.Created {
				return hits[i].doc.Created > hits[j].doc.Created
			}
			return hits[i].doc.KeyID > hits[j].doc.KeyID
		})
		if q.Size < len(hits) {
			hits = hits[:q.Size]
		}
		reply(200, map[string]any{"hits": map[string]any{"hits": hits}})
	default:
		reply(400, map[string]any{"error": map[string]any{"type": "unexpected " + r.Method + " " + r.URL.Path}})
	}
}

func TestFakeNodeContract(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(&fakeNode{indices: map[string]map[string]json.RawMessage{}})
	t.Cleanup(srv.Close)
	keystoretest.Run(t, func(t *testing.T) personal.KeyStore {
		s, err := eskeys.Open(t.Context(), srv.URL, "t-"+strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))+"-")
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
