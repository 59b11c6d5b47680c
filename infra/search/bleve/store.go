// Package blevestore is the embedded projections.SearchStore: one bleve
// (scorch) index per read model, in a directory of its own under the store's
// directory.
//
//	s, err := blevestore.Open(filepath.Join(dataDir, "search"))
//	...
//	defer s.Close()
//
// Full text: every Text field goes into one field analyzed with bleve's cjk
// analyzer (Unicode words, width folding, lower case, CJK bigrams), so any
// two-character Chinese word finds a document; a query must match all its
// words, which may come from different Text fields. Writes are searchable as
// soon as Write returns.
package blevestore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// Reserved field names; schema fields may not start with '_'.
const (
	// textField holds every Text field of a document, analyzed with the CJK
	// bigram analyzer: a query may match words from several Text fields.
	textField = "_text"
	// sourceField stores "<version> <JSON source>"; it is the only stored
	// field, which keeps the index small.
	sourceField = "_src"
)

// Internal (non-document) keys of each index.
var (
	checkpointKey = []byte("butler.checkpoint")
	schemaKey     = []byte("butler.schema")
)

// errClosed is returned after Close.
var errClosed = errors.New("blevestore: store is closed")

// Store is a projections.SearchStore backed by bleve. It is safe for
// concurrent use.
type Store struct {
	dir string

	mu      sync.Mutex
	closed  bool
	indexes map[string]*handle // by physical name
	// aliases maps a read model's name to the generation that serves it
	// (see NewGeneration); a name without an alias is its own index.
	aliases map[string]string
	// retired are promoted-away generations still open for searches in flight.
	retired sync.WaitGroup
	closing chan struct{}
}

var _ projections.SearchStore = (*Store)(nil)

// handle is one open index.
type handle struct {
	idx bleve.Index
	// wmu serializes writes: the version check and the batch that depends
	// on it must not interleave with another write to the same index.
	wmu    sync.Mutex
	schema atomic.Pointer[projections.Schema]

	keyword analysis.Analyzer
	cjk     analysis.Analyzer
}

// Open opens (creating it if needed) a store whose indexes live under dir.
// Indexes are opened on first use.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("blevestore: %w", err)
	}
	aliases, err := loadAliases(dir)
	if err != nil {
		return nil, err
	}
	return &Store{dir: dir, indexes: map[string]*handle{}, aliases: aliases, closing: make(chan struct{})}, nil
}

// OpenMemory returns a store whose indexes live in memory only and are
// gone on Close: scratch indexes, such as a KPI computed as of a moment
// from read models folded again in memory. Writes are not durable and it
// cannot rebuild (NewGeneration, Promote).
func OpenMemory() *Store {
	return &Store{indexes: map[string]*handle{}, aliases: map[string]string{}, closing: make(chan struct{})}
}

// memory reports whether the store lives in memory only.
func (s *Store) memory() bool { return s.dir == "" }

// Close closes every open index. The store cannot be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.closing)
	s.mu.Unlock()
	s.retired.Wait()
	s.mu.Lock()
	var errs []error
	for name, h := range s.indexes {
		if err := h.idx.Close(); err != nil {
			errs = append(errs, fmt.Errorf("blevestore: close %s: %w", name, err))
		}
	}
	s.indexes = nil
	return errors.Join(errs...)
}

func validName(name string) error {
	if name == "" || name == "." || name == ".." || len(name) > 200 {
		return fmt.Errorf("blevestore: invalid index name %q", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return fmt.Errorf("blevestore: invalid index name %q: use letters, digits, '-', '_' and '.'", name)
		}
	}
	return nil
}

func validSchema(schema projections.Schema) error {
	if err := validName(schema.Name); err != nil {
		return err
	}
	for f, k := range schema.Fields {
		if f == "" || f[0] == '_' {
			return fmt.Errorf("blevestore: index %s: field name %q is reserved", schema.Name, f)
		}
		if k < projections.Keyword || k > projections.Label {
			return fmt.Errorf("blevestore: index %s: field %s has unknown kind %d", schema.Name, f, k)
		}
	}
	return nil
}

// open returns the handle of an index, opening it from disk if it exists.
// It returns (nil, nil) when the index does not exist.
func (s *Store) open(name string) (*handle, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	name = s.resolve(name)
	if h := s.indexes[name]; h != nil {
		return h, nil
	}
	if s.memory() {
		return nil, nil
	}
	path := filepath.Join(s.dir, name)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("blevestore: %w", err)
	}
	idx, err := bleve.Open(path)
	if err != nil {
		return nil, fmt.Errorf("blevestore: open index %s: %w", name, err)
	}
	h, err := newHandle(idx)
	if err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("blevestore: open index %s: %w", name, err)
	}
	raw, err := idx.GetInternal(schemaKey)
	if err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("blevestore: read schema of %s: %w", name, err)
	}
	// No schema means a crash between creating the index and recording its
	// schema: the next EnsureIndex records it.
	if len(raw) > 0 {
		var schema projections.Schema
		if err := json.Unmarshal(raw, &schema); err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("blevestore: schema of %s: %w", name, err)
		}
		h.schema.Store(&schema)
	}
	s.indexes[name] = h
	return h, nil
}

// mustOpen is open for operations that need an existing index.
func (s *Store) mustOpen(name string) (*handle, error) {
	h, err := s.open(name)
	if err != nil {
		return nil, err
	}
	if h == nil {
		return nil, fmt.Errorf("blevestore: index %s does not exist: %w", name, projections.ErrNotFound)
	}
	return h, nil
}

func newHandle(idx bleve.Index) (*handle, error) {
	m, ok := idx.Mapping().(*mapping.IndexMappingImpl)
	if !ok {
		return nil, fmt.Errorf("unexpected mapping type %T", idx.Mapping())
	}
	h := &handle{idx: idx, keyword: m.AnalyzerNamed(keyword.Name), cjk: m.AnalyzerNamed(cjk.AnalyzerName)}
	if h.keyword == nil || h.cjk == nil {
		return nil, errors.New("keyword or cjk analyzer unavailable")
	}
	return h, nil
}

// indexMapping is what bleve records for an index. Documents are built by
// hand (see document.go), so the mapping only has to name the analyzer of
// the full-text field, which bleve uses to analyze match queries.
func indexMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	dm := bleve.NewDocumentStaticMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = cjk.AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	dm.AddFieldMappingsAt(textField, text)
	m.DefaultMapping = dm
	return m
}

// EnsureIndex creates the index if needed and records its schema. On an
// existing index a changed schema applies to documents written from now on;
// a projection that changes how a field is indexed should rebuild into a new
// index name.
func (s *Store) EnsureIndex(ctx context.Context, schema projections.Schema) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := validSchema(schema); err != nil {
		return err
	}
	h, err := s.open(schema.Name)
	if err != nil {
		return err
	}
	if h == nil {
		if h, err = s.create(schema.Name); err != nil {
			return err
		}
	}
	h.wmu.Lock()
	defer h.wmu.Unlock()
	if cur := h.schema.Load(); cur != nil && sameFields(cur.Fields, schema.Fields) {
		return nil
	}
	raw, err := json.Marshal(schema)
	if err != nil {
		return fmt.Errorf("blevestore: %w", err)
	}
	if err := h.idx.SetInternal(schemaKey, raw); err != nil {
		return fmt.Errorf("blevestore: store schema of %s: %w", schema.Name, err)
	}
	sc := schema
	h.schema.Store(&sc)
	return nil
}

// create makes a new index directory; a concurrent creator may have won,
// in which case its handle is returned.
func (s *Store) create(name string) (*handle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	name = s.resolve(name)
	if h := s.indexes[name]; h != nil {
		return h, nil
	}
	// An empty path is scorch's index in memory.
	path := ""
	if !s.memory() {
		path = filepath.Join(s.dir, name)
	}
	idx, err := bleve.NewUsing(path, indexMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("blevestore: create index %s: %w", name, err)
	}
	h, err := newHandle(idx)
	if err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("blevestore: create index %s: %w", name, err)
	}
	s.indexes[name] = h
	return h, nil
}

func sameFields(a, b map[string]projections.FieldKind) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Write stores the newer of docs and the checkpoint in one bleve batch, so
// they become visible and durable together.
//
// Durability: scorch's Batch, for an index with a path and without the
// "unsafe_batch" option, waits on the segment introduction's "persisted"
// channel (index/scorch/scorch.go prepareSegment), which the persister
// signals only after the new segment file is fsynced (zapx PersistSegment)
// and the root bolt snapshot, which holds the internal keys, is committed
// and synced (persister.go persistSnapshotDirectly). So when Batch returns
// nil the write survives a crash; no extra configuration is needed, and we
// must not set unsafe_batch.
func (s *Store) Write(ctx context.Context, name string, docs []projections.Document, checkpoint event.Position) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	h, err := s.mustOpen(name)
	if err != nil {
		return err
	}
	h.wmu.Lock()
	defer h.wmu.Unlock()
	schema := h.schema.Load()
	if schema == nil {
		return fmt.Errorf("blevestore: index %s has no schema: call EnsureIndex first", name)
	}

	batch := h.idx.NewBatch()
	if len(docs) > 0 {
		adv, err := h.idx.Advanced()
		if err != nil {
			return fmt.Errorf("blevestore: %w", err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fmt.Errorf("blevestore: %w", err)
		}
		defer func() { _ = r.Close() }()
		// Versions already decided in this batch, so a batch holding several
		// versions of one document keeps the highest.
		pending := map[string]uint64{}
		for _, d := range docs {
			if d.ID == "" {
				return fmt.Errorf("blevestore: index %s: document without id", name)
			}
			cur, seen := pending[d.ID]
			if !seen {
				var found bool
				if cur, found, err = storedVersion(r, d.ID); err != nil {
					return fmt.Errorf("blevestore: index %s: version of %s: %w", name, d.ID, err)
				}
				seen = found
			}
			if seen && d.Version <= cur {
				continue
			}
			bd, err := h.buildDocument(schema, d)
			if err != nil {
				return fmt.Errorf("blevestore: index %s: %w", name, err)
			}
			if err := batch.IndexAdvanced(bd); err != nil {
				return fmt.Errorf("blevestore: index %s: %w", name, err)
			}
			pending[d.ID] = d.Version
		}
	}
	var cp [8]byte
	binary.BigEndian.PutUint64(cp[:], uint64(checkpoint))
	batch.SetInternal(checkpointKey, cp[:])
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := h.idx.Batch(batch); err != nil {
		return fmt.Errorf("blevestore: write %s: %w", name, err)
	}
	return nil
}

// storedVersion reads the version of a stored document.
func storedVersion(r index.IndexReader, id string) (uint64, bool, error) {
	d, err := r.Document(id)
	if err != nil || d == nil {
		return 0, false, err
	}
	v, _, err := decodeStored(d)
	if err != nil {
		return 0, false, err
	}
	return v, true, nil
}

// Checkpoint returns the checkpoint last written with Write; 0 for a new or
// missing index.
func (s *Store) Checkpoint(ctx context.Context, name string) (event.Position, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	h, err := s.open(name)
	if err != nil || h == nil {
		return 0, err
	}
	raw, err := h.idx.GetInternal(checkpointKey)
	if err != nil {
		return 0, fmt.Errorf("blevestore: checkpoint of %s: %w", name, err)
	}
	if len(raw) == 0 {
		return 0, nil
	}
	if len(raw) != 8 {
		return 0, fmt.Errorf("blevestore: checkpoint of %s is corrupt (%d bytes)", name, len(raw))
	}
	return event.Position(binary.BigEndian.Uint64(raw)), nil
}

// Get returns one document, or projections.ErrNotFound.
func (s *Store) Get(ctx context.Context, name, id string) (projections.Document, error) {
	if err := ctx.Err(); err != nil {
		return projections.Document{}, err
	}
	h, err := s.open(name)
	if err != nil {
		return projections.Document{}, err
	}
	if h == nil {
		return projections.Document{}, fmt.Errorf("blevestore: index %s does not exist: %w", name, projections.ErrNotFound)
	}
	d, err := h.idx.Document(id)
	if err != nil {
		return projections.Document{}, fmt.Errorf("blevestore: get %s/%s: %w", name, id, err)
	}
	if d == nil {
		return projections.Document{}, fmt.Errorf("blevestore: %s/%s: %w", name, id, projections.ErrNotFound)
	}
	v, src, err := decodeStored(d)
	if err != nil {
		return projections.Document{}, fmt.Errorf("blevestore: get %s/%s: %w", name, id, err)
	}
	return projections.Document{ID: id, Version: v, Source: src}, nil
}

// decodeStored reads the stored "<version> <source>" field.
func decodeStored(d index.Document) (uint64, json.RawMessage, error) {
	var raw []byte
	d.VisitFields(func(f index.Field) {
		if f.Name() == sourceField {
			raw = f.Value()
		}
	})
	if raw == nil {
		return 0, nil, errors.New("document has no stored source")
	}
	return decodePayload(raw)
}

func encodePayload(version uint64, src []byte) []byte {
	b := strconv.AppendUint(make([]byte, 0, 21+len(src)), version, 10)
	b = append(b, ' ')
	return append(b, src...)
}

func decodePayload(raw []byte) (uint64, json.RawMessage, error) {
	for i, c := range raw {
		if c == ' ' {
			v, err := strconv.ParseUint(string(raw[:i]), 10, 64)
			if err != nil {
				return 0, nil, fmt.Errorf("corrupt stored version: %w", err)
			}
			// Copy: the bytes may belong to the segment's memory map.
			return v, json.RawMessage(append([]byte(nil), raw[i+1:]...)), nil
		}
	}
	return 0, nil, errors.New("corrupt stored source")
}

// Compact merges index name into a single segment and returns when that is
// done; the index keeps answering meanwhile. A rebuild calls it on its new
// generation before switching to it: replayed batches leave many large
// segments, and left to the background merger they would be merged again
// and again while live writes arrive, taking the CPU the commands need
// (measured in docs/benchmarks.md). Live indexes are left to the merger.
func (s *Store) Compact(ctx context.Context, name string) error {
	sc, err := s.scorchOf(name)
	if err != nil {
		return fmt.Errorf("blevestore: compact %s: %w", name, err)
	}
	// scorch's single-segment plan, but in one merge: its default merges
	// ten segments at a time, rewriting most documents twice.
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.SegmentsPerMergeTask = 1 << 16
	if err := sc.ForceMerge(ctx, &plan); err != nil {
		return fmt.Errorf("blevestore: compact %s: %w", name, err)
	}
	return ctx.Err()
}

// Segments reports how many segments index name's current snapshot holds:
// what Compact brings to one, and what the background merger keeps
// bounded.
func (s *Store) Segments(name string) (int, error) {
	sc, err := s.scorchOf(name)
	if err != nil {
		return 0, fmt.Errorf("blevestore: segments of %s: %w", name, err)
	}
	st := sc.StatsMap()
	files, _ := st["TotFileSegmentsAtRoot"].(uint64)
	memory, _ := st["TotMemorySegmentsAtRoot"].(uint64)
	return int(files + memory), nil
}

// scorchOf returns the scorch index under index name (every index this
// store creates is one).
func (s *Store) scorchOf(name string) (*scorch.Scorch, error) {
	h, err := s.mustOpen(name)
	if err != nil {
		return nil, err
	}
	adv, err := h.idx.Advanced()
	if err != nil {
		return nil, err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, fmt.Errorf("index %s is %T, not scorch", name, adv)
	}
	return sc, nil
}
