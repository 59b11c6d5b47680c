package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
)

// Engine is one way to run Butler in a test.
type Engine struct {
	Name string
	// Options returns the engine's options, starting what it needs for the
	// test (and stopping it when the test ends); it skips the test loudly
	// when the engine is not available.
	Options func(t testing.TB) Options
}

// Engines are the deployments the end-to-end journeys run on: the embedded
// default; EventStoreDB (the in-process protocol server, which the real v4
// client talks to over gRPC); and EventStoreDB with a real Elasticsearch 8
// when BUTLER_TEST_ELASTICSEARCH_URL is set.
func Engines() []Engine {
	return []Engine{
		{Name: "embedded", Options: func(testing.TB) Options { return Options{} }},
		{Name: "esdb", Options: func(t testing.TB) Options { return Options{EventStore: ESDBServer(t)} }},
		{Name: "esdb+elasticsearch", Options: func(t testing.TB) Options {
			es := ElasticsearchURL(t)
			return Options{EventStore: ESDBServer(t), Elasticsearch: es, IndexPrefix: RandomPrefix()}
		}},
	}
}

// ESDBServer starts the EventStoreDB protocol server on an embedded store
// of its own and returns its connection string.
func ESDBServer(t testing.TB) string {
	t.Helper()
	store, err := embedded.Open(filepath.Join(t.TempDir(), "esdb"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := esdbserver.Start(ctx, store, "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Stop()
		cancel()
		_ = store.Close()
	})
	return srv.ConnString()
}

// ElasticsearchURL is the real Elasticsearch 8 the tests may use, from
// BUTLER_TEST_ELASTICSEARCH_URL; without it the test is skipped, saying so.
func ElasticsearchURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("BUTLER_TEST_ELASTICSEARCH_URL")
	if u == "" {
		t.Skip("BUTLER_TEST_ELASTICSEARCH_URL not set: skipping the run on a real Elasticsearch 8 " +
			"(start one with test/elasticsearch/start and export the URL it prints; CI does)")
	}
	return u
}

// RandomPrefix is an index prefix unique to one test, so tests can share
// an Elasticsearch node.
func RandomPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "t" + hex.EncodeToString(b) + "-"
}

// DeleteIndices removes a test's Elasticsearch indices (every index whose
// name starts with prefix), so a shared test node does not fill up. Names
// are listed first: Elasticsearch 8 refuses wildcard deletes.
func DeleteIndices(t testing.TB, esURL, prefix string) {
	t.Helper()
	resp, err := http.Get(strings.TrimRight(esURL, "/") + "/_cat/indices/" + prefix + "*?h=index&expand_wildcards=all")
	if err != nil {
		t.Logf("listing test indices: %v", err)
		return
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	names := strings.Fields(string(raw))
	for len(names) > 0 {
		n := min(len(names), 50)
		req, _ := http.NewRequest(http.MethodDelete, strings.TrimRight(esURL, "/")+"/"+strings.Join(names[:n], ","), nil)
		if r, err := http.DefaultClient.Do(req); err != nil {
			t.Logf("deleting test indices: %v", err)
		} else {
			r.Body.Close()
		}
		names = names[n:]
	}
}
