package eskeys_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/butler-pm/butler/infra/personal"
	"github.com/butler-pm/butler/infra/personal/eskeys"
	"github.com/butler-pm/butler/infra/personal/keystoretest"
)

const urlEnv = "BUTLER_TEST_ELASTICSEARCH_URL"

func TestElasticsearchContract(t *testing.T) {
	u := os.Getenv(urlEnv)
	if u == "" {
		t.Skip("SKIPPED: no Elasticsearch. " + urlEnv + " is not set, so the Elasticsearch key store was NOT tested. " +
			"Start one with: export " + urlEnv + "=$(test/elasticsearch/start)   (stop: test/elasticsearch/stop)")
	}
	keystoretest.Run(t, func(t *testing.T) personal.KeyStore {
		var b [4]byte
		_, _ = rand.Read(b[:])
		s, err := eskeys.Open(t.Context(), u, "t"+hex.EncodeToString(b[:])+"-")
		if err != nil {
			t.Fatalf("Open(%s): %v", u, err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := s.DeleteIndex(ctx); err != nil {
				t.Logf("cleanup: %v", err)
			}
		})
		return s
	})
}
