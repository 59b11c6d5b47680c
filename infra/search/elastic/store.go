// Package elasticstore keeps read models in Elasticsearch 8: the
// projections.SearchStore port for deployments where several servers share
// the read side, or where the data outgrows the embedded bleve index.
//
// Layout: each read model NAME is an alias PREFIX+NAME (default prefix
// "butler-") pointing at one physical index PREFIX+NAME-000001,
// -000002, ... A rebuild writes a fresh generation and swaps the alias
// atomically (CreateGeneration, SwapAlias; NewGeneration and Promote for
// projections.Rebuild). Each physical index also holds its projection's
// checkpoint as one document that Search never returns, so a generation
// carries its own checkpoint.
//
// Writes use external versioning (version = Document.Version), so a stale
// write is refused by Elasticsearch itself and counted as skipped.
package elasticstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esutil"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

const (
	// idField is a keyword copy of the document id: Elasticsearch 8 cannot
	// sort on _id, and the id is the final tie-break of every order. It is
	// excluded from the stored _source, so documents read back unchanged.
	idField = "@id"
	// textField receives every Text field (copy_to): one match query with
	// operator AND then requires all words, whichever fields hold them.
	textField = "@text"
	// checkpointID is the document holding the projection's checkpoint.
	checkpointID = "@butler:checkpoint"
	// checkpointField holds the position as a decimal string: positions use
	// all 64 bits, beyond a long and a JSON double.
	checkpointField = "checkpoint"
	// cjkAnalyzer is Elasticsearch's built-in CJK analyzer (bigrams for
	// Chinese, standard tokens lower-cased for Latin text).
	cjkAnalyzer = "cjk"
	// maxBulkBytes splits large writes (a rebuild page) into several _bulk
	// requests well below http.max_content_length (100 MB).
	maxBulkBytes = 8 << 20
	// bulkFlushInterval bounds how long a queued write waits for its _bulk
	// request. Write flushes at once anyway (a projection waits for its
	// batch to be durable before its checkpoint); the interval is the
	// safety net the 1 s searchable goal needs.
	bulkFlushInterval = 100 * time.Millisecond
)

// Store is a projections.SearchStore on Elasticsearch. It is safe for
// concurrent use and keeps no state besides its client: several processes
// may share one cluster.
type Store struct {
	es       *elasticsearch.Client
	prefix   string
	replicas int
	// bulk carries every document write. Projections write concurrently
	// (one batch each after every $all batch), so one indexer lets their
	// documents share _bulk requests.
	bulk esutil.BulkIndexer
	// bulkMu guards closed: the indexer panics on an Add after its Close.
	bulkMu sync.RWMutex
	closed bool
}

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("elasticstore: store closed")

var (
	_ projections.SearchStore = (*Store)(nil)
	_ projections.Generations = (*Store)(nil)
)

type options struct {
	prefix   string
	replicas int
	cfg      elasticsearch.Config
}

// Option configures Open.
type Option func(*options)

// WithPrefix sets the prefix of every alias and index name (default
// "butler-"), so several deployments can share one cluster.
func WithPrefix(prefix string) Option { return func(o *options) { o.prefix = prefix } }

// WithReplicas sets number_of_replicas for new indices (default 0: a test
// or single-node cluster stays green; production clusters want 1).
func WithReplicas(n int) Option { return func(o *options) { o.replicas = n } }

// WithBasicAuth authenticates with a user name and password.
func WithBasicAuth(user, password string) Option {
	return func(o *options) { o.cfg.Username, o.cfg.Password = user, password }
}

// WithAPIKey authenticates with a base64-encoded API key.
func WithAPIKey(key string) Option { return func(o *options) { o.cfg.APIKey = key } }

// WithTransport sets the HTTP transport (TLS settings, proxies, tests).
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.cfg.Transport = rt } }

// Open connects to the Elasticsearch node or cluster at rawURL (e.g.
// "http://127.0.0.1:9200"; several URLs may be comma-separated) and checks
// that it answers and is Elasticsearch.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	o := options{prefix: "butler-"}
	for _, opt := range opts {
		opt(&o)
	}
	if o.prefix != "" && !validName.MatchString(strings.TrimRight(o.prefix, "-_.")+"x") {
		return nil, fmt.Errorf("elasticstore: invalid prefix %q: lower-case letters, digits, '-', '_', '.'", o.prefix)
	}
	if o.replicas < 0 {
		return nil, fmt.Errorf("elasticstore: invalid replica count %d", o.replicas)
	}
	for _, u := range strings.Split(rawURL, ",") {
		u = strings.TrimSpace(u)
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return nil, fmt.Errorf("elasticstore: invalid URL %q: want http(s)://host:port", u)
		}
		o.cfg.Addresses = append(o.cfg.Addresses, u)
	}
	es, err := elasticsearch.NewClient(o.cfg)
	if err != nil {
		return nil, fmt.Errorf("elasticstore: %w", err)
	}
	s := &Store{es: es, prefix: o.prefix, replicas: o.replicas}
	// GET / proves the node answers and, through the client's product
	// check, that it is Elasticsearch.
	if _, _, err := s.do(ctx, http.MethodGet, "/", nil, ""); err != nil {
		return nil, fmt.Errorf("elasticstore: connecting to %s: %w", rawURL, err)
	}
	s.bulk, err = esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client:        es,
		FlushBytes:    maxBulkBytes,
		FlushInterval: bulkFlushInterval,
	})
	if err != nil {
		return nil, fmt.Errorf("elasticstore: %w", err)
	}
	return s, nil
}

// Close sends what the bulk indexer still holds and stops it. Writes after
// Close fail.
func (s *Store) Close() error {
	s.bulkMu.Lock()
	defer s.bulkMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return s.bulk.Close(ctx)
}

// Alias returns the alias that serves the read model name.
func (s *Store) Alias(name string) string { return s.prefix + name }

var (
	validName  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	validField = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
)

func (s *Store) physical(name string) (string, error) {
	if !validName.MatchString(name) || len(s.prefix)+len(name) > 240 {
		return "", fmt.Errorf("elasticstore: invalid index name %q: lower-case letters, digits, '-', '_', '.'", name)
	}
	return s.prefix + name, nil
}

func validSchema(schema projections.Schema) error {
	if !validName.MatchString(schema.Name) {
		return fmt.Errorf("elasticstore: invalid index name %q: lower-case letters, digits, '-', '_', '.'", schema.Name)
	}
	for f, k := range schema.Fields {
		if !validField.MatchString(f) {
			return fmt.Errorf("elasticstore: index %s: invalid field name %q", schema.Name, f)
		}
		if k < projections.Keyword || k > projections.Label {
			return fmt.Errorf("elasticstore: index %s: field %s has unknown kind %d", schema.Name, f, k)
		}
	}
	return nil
}

// EnsureIndex creates the read model's first generation behind its alias,
// or, when the alias (or an index of that name) exists, adds any new
// fields to its mapping. A field whose kind changed cannot be remapped in
// place: that is an error, and the cure is a rebuild into a new generation.
func (s *Store) EnsureIndex(ctx context.Context, schema projections.Schema) error {
	if err := validSchema(schema); err != nil {
		return err
	}
	alias := s.Alias(schema.Name)
	status, _, err := s.do(ctx, http.MethodHead, "/"+alias, nil, "")
	if err != nil && status != http.StatusNotFound {
		return fmt.Errorf("elasticstore: ensure index %s: %w", schema.Name, err)
	}
	if status == http.StatusNotFound {
		_, err := s.createGeneration(ctx, schema, true)
		if err == nil {
			return nil
		}
		if !errors.Is(err, errExists) {
			return err
		}
		// Another process created it meanwhile: fall through and check the
		// mapping like for any existing index.
	}
	body, err := json.Marshal(map[string]any{"_meta": schemaMeta(schema), "properties": properties(schema)})
	if err != nil {
		return err
	}
	if _, _, err := s.do(ctx, http.MethodPut, "/"+alias+"/_mapping", body, ""); err != nil {
		return fmt.Errorf("elasticstore: index %s has a different mapping (rebuild it into a new generation): %w", schema.Name, err)
	}
	return nil
}

// Write stores docs with external versioning through the bulk indexer,
// waits for every one of them, and then writes the checkpoint. A document
// whose Version is not newer than the stored one is refused by
// Elasticsearch (409) and skipped; any other refusal fails the call before
// the checkpoint is written. Elasticsearch acknowledges a write after its
// translog is fsynced (index.translog.durability=request, the default), so
// on return the writes are durable, and searchable within the refresh
// interval (500 ms). A document that cannot be sent (bad id, source not a
// JSON object) fails the call before anything is sent.
func (s *Store) Write(ctx context.Context, index string, docs []projections.Document, checkpoint event.Position) error {
	phys, err := s.physical(index)
	if err != nil {
		return err
	}
	items, err := bulkItems(phys, latestVersions(docs))
	if err != nil {
		return fmt.Errorf("elasticstore: write %s: %w", index, err)
	}
	if err := s.index(ctx, items); err != nil {
		return fmt.Errorf("elasticstore: write %s: %w", index, err)
	}
	cp, err := json.Marshal(map[string]string{checkpointField: strconv.FormatUint(uint64(checkpoint), 10)})
	if err != nil {
		return err
	}
	if _, _, err := s.do(ctx, http.MethodPut, "/"+phys+"/_doc/"+url.PathEscape(checkpointID), cp, ""); err != nil {
		return fmt.Errorf("elasticstore: write %s: checkpoint: %w", index, err)
	}
	return nil
}

// latestVersions keeps, per id, the first document with the highest
// version: what Elasticsearch would keep anyway, without the refused items.
func latestVersions(docs []projections.Document) []projections.Document {
	pos := make(map[string]int, len(docs))
	out := make([]projections.Document, 0, len(docs))
	for _, d := range docs {
		if i, ok := pos[d.ID]; ok {
			if d.Version > out[i].Version {
				out[i] = d
			}
			continue
		}
		pos[d.ID] = len(out)
		out = append(out, d)
	}
	return out
}

// bulkItems renders docs as index actions on the physical index phys with
// external versions (version = the document's stream revision).
func bulkItems(phys string, docs []projections.Document) ([]esutil.BulkIndexerItem, error) {
	items := make([]esutil.BulkIndexerItem, 0, len(docs))
	for _, d := range docs {
		if d.ID == "" || d.ID == checkpointID {
			return nil, fmt.Errorf("invalid document id %q", d.ID)
		}
		if d.Version > 1<<63-1 {
			return nil, fmt.Errorf("document %s: version %d exceeds Elasticsearch's range", d.ID, d.Version)
		}
		src, err := withID(d.ID, d.Source)
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", d.ID, err)
		}
		version := int64(d.Version)
		items = append(items, esutil.BulkIndexerItem{
			Index:       phys,
			Action:      "index",
			DocumentID:  d.ID,
			Version:     &version,
			VersionType: "external",
			Body:        bytes.NewReader(src),
		})
	}
	return items, nil
}

// index hands items to the bulk indexer, flushes it and waits until
// Elasticsearch has answered for each item. Version conflicts (a stale
// write, skipped by design) are not failures; any other refusal is.
func (s *Store) index(ctx context.Context, items []esutil.BulkIndexerItem) error {
	if len(items) == 0 {
		return nil
	}
	s.bulkMu.RLock()
	defer s.bulkMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
		count  int
	)
	fail := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		if count++; count <= 5 {
			failed = append(failed, msg)
		}
	}
	for _, item := range items {
		item.OnSuccess = func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem) { wg.Done() }
		item.OnFailure = func(_ context.Context, it esutil.BulkIndexerItem, res esutil.BulkIndexerResponseItem, err error) {
			defer wg.Done()
			switch {
			case err != nil:
				fail(fmt.Sprintf("%s: %v", it.DocumentID, err))
			case res.Status != http.StatusConflict:
				fail(fmt.Sprintf("%s: %d %s: %s", it.DocumentID, res.Status, res.Error.Type, res.Error.Reason))
			}
		}
		wg.Add(1)
		if err := s.bulk.Add(ctx, item); err != nil {
			// Items already added are still sent: harmless, as no
			// checkpoint follows them.
			wg.Done()
			return err
		}
	}
	if err := s.bulk.Flush(ctx); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if count == 0 {
		return nil
	}
	if count > len(failed) {
		failed = append(failed, fmt.Sprintf("and %d more", count-len(failed)))
	}
	return fmt.Errorf("%d documents refused: %s", count, strings.Join(failed, "; "))
}

// withID returns the JSON object src, compacted to one line (as _bulk
// needs), with the id field added in front.
func withID(id string, src json.RawMessage) ([]byte, error) {
	var compact bytes.Buffer
	trimmed := bytes.TrimSpace(src)
	if len(trimmed) == 0 {
		trimmed = []byte("{}")
	}
	if trimmed[0] != '{' {
		return nil, errors.New("source is not a JSON object")
	}
	if err := json.Compact(&compact, trimmed); err != nil {
		return nil, fmt.Errorf("source is not valid JSON: %w", err)
	}
	idJSON, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	obj := compact.Bytes()
	out := make([]byte, 0, len(obj)+len(idJSON)+8)
	out = append(out, `{"`+idField+`":`...)
	out = append(out, idJSON...)
	if obj[1] != '}' {
		out = append(out, ',')
	}
	return append(out, obj[1:]...), nil
}

// Checkpoint returns the last position written with Write (0: none yet,
// or no such index).
func (s *Store) Checkpoint(ctx context.Context, index string) (event.Position, error) {
	phys, err := s.physical(index)
	if err != nil {
		return 0, err
	}
	status, resp, err := s.do(ctx, http.MethodGet, "/"+phys+"/_doc/"+url.PathEscape(checkpointID), nil, "")
	if status == http.StatusNotFound {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("elasticstore: checkpoint of %s: %w", index, err)
	}
	var r struct {
		Source map[string]string `json:"_source"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		return 0, fmt.Errorf("elasticstore: checkpoint of %s: %w", index, err)
	}
	p, err := strconv.ParseUint(r.Source[checkpointField], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("elasticstore: checkpoint of %s is damaged: %w", index, err)
	}
	return event.Position(p), nil
}

// Get returns one document (realtime: no refresh delay), or ErrNotFound.
func (s *Store) Get(ctx context.Context, index, id string) (projections.Document, error) {
	phys, err := s.physical(index)
	if err != nil {
		return projections.Document{}, err
	}
	if id == "" || id == checkpointID {
		return projections.Document{}, projections.ErrNotFound
	}
	status, resp, err := s.do(ctx, http.MethodGet, "/"+phys+"/_doc/"+url.PathEscape(id), nil, "")
	if status == http.StatusNotFound {
		return projections.Document{}, projections.ErrNotFound
	}
	if err != nil {
		return projections.Document{}, fmt.Errorf("elasticstore: get %s/%s: %w", index, id, err)
	}
	var r struct {
		ID      string          `json:"_id"`
		Version uint64          `json:"_version"`
		Found   bool            `json:"found"`
		Source  json.RawMessage `json:"_source"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		return projections.Document{}, fmt.Errorf("elasticstore: get %s/%s: %w", index, id, err)
	}
	if !r.Found {
		return projections.Document{}, projections.ErrNotFound
	}
	return projections.Document{ID: r.ID, Version: r.Version, Source: r.Source}, nil
}

// GetMany reads documents in one _mget request (realtime, as Get); ids
// that are absent, like every id of a missing index, are left out.
func (s *Store) GetMany(ctx context.Context, index string, ids []string) (map[string]projections.Document, error) {
	out := make(map[string]projections.Document, len(ids))
	phys, err := s.physical(index)
	if errors.Is(err, projections.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	want := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && id != checkpointID {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	body, err := json.Marshal(map[string][]string{"ids": want})
	if err != nil {
		return nil, err
	}
	status, resp, err := s.do(ctx, http.MethodPost, "/"+phys+"/_mget", body, "")
	if status == http.StatusNotFound {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("elasticstore: mget %d from %s: %w", len(want), index, err)
	}
	var r struct {
		Docs []struct {
			ID      string          `json:"_id"`
			Version uint64          `json:"_version"`
			Found   bool            `json:"found"`
			Source  json.RawMessage `json:"_source"`
			Error   *esError        `json:"error"`
		} `json:"docs"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		return nil, fmt.Errorf("elasticstore: mget from %s: %w", index, err)
	}
	for _, d := range r.Docs {
		if d.Error != nil && d.Error.Type == "index_not_found_exception" {
			continue
		}
		if d.Error != nil {
			return nil, fmt.Errorf("elasticstore: mget %s/%s: %s", index, d.ID, d.Error)
		}
		if d.Found {
			out[d.ID] = projections.Document{ID: d.ID, Version: d.Version, Source: d.Source}
		}
	}
	return out, nil
}

// esError is Elasticsearch's error object.
type esError struct {
	Type   string `json:"type"`
	Reason string `json:"reason"`
}

func (e *esError) String() string {
	if e == nil {
		return ""
	}
	return e.Type + ": " + e.Reason
}

// errExists marks resource_already_exists_exception.
var errExists = errors.New("already exists")

// do sends one request and reads the whole response. A status of 300 or
// more is an error that carries Elasticsearch's error type and reason;
// 404s also wrap projections.ErrNotFound.
func (s *Store) do(ctx context.Context, method, path string, body []byte, contentType string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		if contentType == "" {
			contentType = "application/json"
		}
		req.Header.Set("Content-Type", contentType)
	}
	res, err := s.es.Perform(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	resp, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, err
	}
	if res.StatusCode < 300 {
		return res.StatusCode, resp, nil
	}
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	_ = json.Unmarshal(resp, &e)
	var detail esError
	if len(e.Error) > 0 && e.Error[0] == '{' {
		_ = json.Unmarshal(e.Error, &detail)
	} else if len(e.Error) > 0 {
		_ = json.Unmarshal(e.Error, &detail.Reason)
	}
	msg := fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, detail.String())
	switch {
	case res.StatusCode == http.StatusNotFound:
		return res.StatusCode, resp, fmt.Errorf("%s: %w", msg, projections.ErrNotFound)
	case detail.Type == "resource_already_exists_exception":
		return res.StatusCode, resp, fmt.Errorf("%s: %w", msg, errExists)
	}
	return res.StatusCode, resp, errors.New(msg)
}
