// Package eskeys is the personal.KeyStore on Elasticsearch, for servers
// that share one cluster: one index (PREFIX+"data-keys") of wrapped data
// keys, one document per key. Destroy deletes a household's documents and
// expunges the deleted documents from the index's segments, so the wrapped
// keys do not linger in it (snapshots taken before still hold them:
// wrapped by the master key, which is not in the cluster).
package eskeys

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/butler-pm/butler/infra/personal"
)

// Store is the Elasticsearch key store.
type Store struct {
	base   string
	index  string
	client *http.Client
	auth   func(*http.Request)
}

var _ personal.KeyStore = (*Store)(nil)

// Option configures Open.
type Option func(*Store)

// WithBasicAuth authenticates with a user name and password.
func WithBasicAuth(user, password string) Option {
	return func(s *Store) { s.auth = func(r *http.Request) { r.SetBasicAuth(user, password) } }
}

// WithAPIKey authenticates with a base64-encoded API key.
func WithAPIKey(key string) Option {
	return func(s *Store) { s.auth = func(r *http.Request) { r.Header.Set("Authorization", "ApiKey "+key) } }
}

// WithHTTPClient sets the HTTP client (TLS settings, tests).
func WithHTTPClient(c *http.Client) Option { return func(s *Store) { s.client = c } }

// Open connects to the node at rawURL (the first of a comma-separated
// list) and creates the index PREFIX+"data-keys" if it is missing.
func Open(ctx context.Context, rawURL, prefix string, opts ...Option) (*Store, error) {
	first := strings.TrimSpace(strings.Split(rawURL, ",")[0])
	u, err := url.Parse(first)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("eskeys: invalid URL %q: want http(s)://host:port", first)
	}
	s := &Store{base: strings.TrimRight(first, "/"), index: prefix + "data-keys", client: &http.Client{Timeout: 30 * time.Second}}
	for _, o := range opts {
		o(s)
	}
	mapping := `{"settings":{"number_of_shards":1},"mappings":{"dynamic":"strict","properties":{` +
		`"household":{"type":"keyword"},"key_id":{"type":"keyword"},"wrapped":{"type":"binary"},"created":{"type":"long"}}}}`
	status, body, err := s.do(ctx, http.MethodPut, "/"+s.index, []byte(mapping))
	if err != nil {
		return nil, err
	}
	if status >= 300 && !bytes.Contains(body, []byte("resource_already_exists_exception")) {
		return nil, fmt.Errorf("eskeys: creating index %s: %d %s", s.index, status, body)
	}
	return s, nil
}

// householdKey is what documents are keyed by: a hash of the household's
// stream, so the index shows no unit.
func householdKey(household string) string {
	sum := sha256.Sum256([]byte(household))
	return hex.EncodeToString(sum[:16])
}

func docID(household, id string) string { return householdKey(household) + "-" + id }

type doc struct {
	Household string `json:"household"`
	KeyID     string `json:"key_id"`
	Wrapped   []byte `json:"wrapped"`
	Created   int64  `json:"created"`
}

func (s *Store) Create(ctx context.Context, household string, k personal.WrappedKey) error {
	b, _ := json.Marshal(doc{Household: householdKey(household), KeyID: k.ID, Wrapped: k.Wrapped, Created: k.Created.UnixNano()})
	status, body, err := s.do(ctx, http.MethodPut, "/"+s.index+"/_create/"+url.PathEscape(docID(household, k.ID))+"?refresh=true", b)
	if err != nil {
		return err
	}
	if status >= 300 {
		return fmt.Errorf("eskeys: create: %d %s", status, body)
	}
	return nil
}

func (s *Store) Key(ctx context.Context, household, id string) (personal.WrappedKey, error) {
	status, body, err := s.do(ctx, http.MethodGet, "/"+s.index+"/_doc/"+url.PathEscape(docID(household, id)), nil)
	if err != nil {
		return personal.WrappedKey{}, err
	}
	if status == http.StatusNotFound {
		return personal.WrappedKey{}, personal.ErrNoKey
	}
	if status >= 300 {
		return personal.WrappedKey{}, fmt.Errorf("eskeys: get: %d %s", status, body)
	}
	var r struct {
		Found  bool `json:"found"`
		Source doc  `json:"_source"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return personal.WrappedKey{}, fmt.Errorf("eskeys: get: %w", err)
	}
	if !r.Found {
		return personal.WrappedKey{}, personal.ErrNoKey
	}
	return wrapped(r.Source), nil
}

func wrapped(d doc) personal.WrappedKey {
	return personal.WrappedKey{ID: d.KeyID, Wrapped: d.Wrapped, Created: time.Unix(0, d.Created).UTC()}
}

func (s *Store) Latest(ctx context.Context, household string) (personal.WrappedKey, bool, error) {
	q, _ := json.Marshal(map[string]any{
		"size":  1,
		"query": map[string]any{"term": map[string]any{"household": householdKey(household)}},
		"sort":  []any{map[string]any{"created": "desc"}, map[string]any{"key_id": "desc"}},
	})
	status, body, err := s.do(ctx, http.MethodPost, "/"+s.index+"/_search", q)
	if err != nil {
		return personal.WrappedKey{}, false, err
	}
	if status >= 300 {
		return personal.WrappedKey{}, false, fmt.Errorf("eskeys: search: %d %s", status, body)
	}
	var r struct {
		Hits struct {
			Hits []struct {
				Source doc `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return personal.WrappedKey{}, false, fmt.Errorf("eskeys: search: %w", err)
	}
	if len(r.Hits.Hits) == 0 {
		return personal.WrappedKey{}, false, nil
	}
	return wrapped(r.Hits.Hits[0].Source), true, nil
}

func (s *Store) Destroy(ctx context.Context, household string) error {
	// Search, then delete each key by id: only core APIs (_delete_by_query
	// lives in a module a minimal node may lack).
	q, _ := json.Marshal(map[string]any{"size": 10000, "_source": false,
		"query": map[string]any{"term": map[string]any{"household": householdKey(household)}}})
	status, body, err := s.do(ctx, http.MethodPost, "/"+s.index+"/_search", q)
	if err != nil {
		return err
	}
	if status >= 300 {
		return fmt.Errorf("eskeys: search: %d %s", status, body)
	}
	var r struct {
		Hits struct {
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("eskeys: search: %w", err)
	}
	for _, h := range r.Hits.Hits {
		status, body, err := s.do(ctx, http.MethodDelete, "/"+s.index+"/_doc/"+url.PathEscape(h.ID)+"?refresh=true", nil)
		if err != nil {
			return err
		}
		if status >= 300 && status != http.StatusNotFound {
			return fmt.Errorf("eskeys: delete: %d %s", status, body)
		}
	}
	// Expunge: deleted documents otherwise stay in their segment until a merge.
	status, body, err = s.do(ctx, http.MethodPost, "/"+s.index+"/_forcemerge?only_expunge_deletes=true", nil)
	if err != nil {
		return err
	}
	if status >= 300 {
		return fmt.Errorf("eskeys: expunge: %d %s", status, body)
	}
	return nil
}

// DeleteIndex removes the key index: for tests that made their own prefix.
func (s *Store) DeleteIndex(ctx context.Context) error {
	status, body, err := s.do(ctx, http.MethodDelete, "/"+s.index, nil)
	if err != nil {
		return err
	}
	if status >= 300 && status != http.StatusNotFound {
		return fmt.Errorf("eskeys: delete index: %d %s", status, body)
	}
	return nil
}

func (s *Store) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.auth != nil {
		s.auth(req)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("eskeys: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, errors.Join(fmt.Errorf("eskeys: reading the answer to %s %s", method, path), err)
	}
	return resp.StatusCode, out, nil
}
