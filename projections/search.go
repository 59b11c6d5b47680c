package projections

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/butler-pm/butler/domain/event"
)

// SearchStore is where read models live: the embedded bleve index by
// default, Elasticsearch when configured. Every adapter passes the contract
// suite in projections/searchtest.
//
// An index is one read model; its name is the projection's name. Writes are
// versioned: a document is stored only if its Version is greater than the
// stored one (external versioning), so replaying old events never regresses
// a document. Each index also holds its projection's checkpoint, written in
// the same call as the documents, so the checkpoint never runs ahead of the
// documents it covers.
type SearchStore interface {
	// EnsureIndex creates the index (and its mapping) if it does not exist.
	EnsureIndex(ctx context.Context, schema Schema) error
	// Write stores docs (skipping any whose Version is not newer than the
	// stored one) and then the checkpoint. When Write returns nil the writes
	// are durable and, within the store's refresh delay (≤1 s), searchable.
	Write(ctx context.Context, index string, docs []Document, checkpoint event.Position) error
	// Checkpoint returns the last position written with Write (0: none).
	Checkpoint(ctx context.Context, index string) (event.Position, error)
	// Get returns one document, or ErrNotFound.
	Get(ctx context.Context, index, id string) (Document, error)
	// Search runs a query. Results reflect writes after the refresh delay.
	Search(ctx context.Context, index string, q Query) (Result, error)
}

// ManyGetter is a SearchStore that reads many documents in one round trip
// (Elasticsearch's _mget). A runner on such a store reads what a batch
// needs up front, in one request, instead of one request per document.
type ManyGetter interface {
	// GetMany returns the documents of ids that exist; an id absent from
	// the map is not in the index (nor is any id of a missing index).
	GetMany(ctx context.Context, index string, ids []string) (map[string]Document, error)
}

// ErrNotFound is returned by Get for a missing document or index.
var ErrNotFound = errors.New("document not found")

// ErrInvalidCursor is returned by Search for a Query.After that is not a
// cursor this store handed out for the same sort: a client's mistake.
var ErrInvalidCursor = errors.New("invalid cursor")

// FieldKind says how a top-level field of a document's JSON source is indexed.
type FieldKind int

const (
	// Keyword: exact values (ids, codes, statuses); filterable, sortable, facetable.
	// A JSON array of strings indexes each element.
	Keyword FieldKind = iota + 1
	// Text: Chinese (and English) full text; any two-character Chinese word
	// it contains finds it.
	Text
	// Date: RFC 3339 timestamps; range filters and sort.
	Date
	// Number: JSON numbers; range filters and sort.
	Number
	// Bool: JSON booleans; filterable as "true"/"false" terms.
	Bool
	// Label: a Keyword whose values people also search for in words (a
	// category such as 漏水): filterable, sortable and facetable as a
	// Keyword, and part of the full text.
	Label
)

// Exact reports whether a kind filters, sorts and facets by exact value
// (Keyword, Label).
func (k FieldKind) Exact() bool { return k == Keyword || k == Label }

// Schema describes an index: its name and how its fields are indexed.
// Fields not named are stored but not indexed.
type Schema struct {
	Name   string
	Fields map[string]FieldKind
}

// Document is one read-model record: its id, its version (the stream
// revision, or the global position for read models fed by many streams)
// and its JSON source.
type Document struct {
	ID      string          `json:"id"`
	Version uint64          `json:"version"`
	Source  json.RawMessage `json:"source"`
}

// Query is full text plus filters, sort, paging and facets.
type Query struct {
	// Text is matched against every Text field; empty matches all. Its
	// words (separated by spaces) must all match; a word of one Chinese
	// character matches every word containing it.
	Text string
	// Synonyms gives words of Text their alternatives: such a word matches
	// when any of them does (漏水: 渗水, 漏雨).
	Synonyms map[string][]string
	// Terms filters on Keyword/Bool fields: within a field any value
	// matches, across fields all must match.
	Terms map[string][]string
	// Ranges filter Date or Number fields.
	Ranges []Range
	// Sort orders the hits; the document id is always the final tie-break.
	// Without Sort hits come by relevance when Text is set, else by id.
	Sort []Sort
	// Size is the page size (default 20, at most 1000).
	Size int
	// From skips hits (offset paging, for small offsets).
	From int
	// After continues after the last hit of a previous page (its
	// Result.Cursor), with the same Sort: deep paging without offsets.
	After string
	// Facets names Keyword fields whose top terms (up to 50) are counted
	// over all matching documents.
	Facets []string
}

// Range bounds a Date (time.Time), Number (float64) or Keyword (string,
// compared as text: fixed-width values sort as they read) field: Min
// inclusive, Max exclusive; a nil bound, or "", is open.
type Range struct {
	Field string
	Min   any
	Max   any
}

// Sort orders by one field.
type Sort struct {
	Field string
	Desc  bool
}

// Result is one page of hits.
type Result struct {
	Total  int
	Hits   []Document
	Facets map[string][]FacetTerm
	// Cursor continues after the last hit (Query.After); empty when the
	// page was empty.
	Cursor string
}

// FacetTerm is one term and how many matching documents have it.
type FacetTerm struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// TimeRange is a convenience for a Date range.
func TimeRange(field string, from, to time.Time) Range {
	r := Range{Field: field}
	if !from.IsZero() {
		r.Min = from
	}
	if !to.IsZero() {
		r.Max = to
	}
	return r
}

// TextGroups splits q.Text into its words, each with its alternatives
// (the word first, then its synonyms): every group must match, any
// alternative of a group may. Adapters build their text query from it.
func TextGroups(q Query) [][]string {
	words := strings.Fields(q.Text)
	groups := make([][]string, 0, len(words))
	for _, w := range words {
		g := []string{w}
		for _, alt := range q.Synonyms[w] {
			if alt != w {
				g = append(g, alt)
			}
		}
		groups = append(groups, g)
	}
	return groups
}

// SingleCJK reports whether word is one Chinese (CJK) character, which the
// bigram index holds only inside two-character words: adapters match it
// as a part of a word.
func SingleCJK(word string) bool {
	r, n := utf8.DecodeRuneInString(word)
	return n == len(word) && n > 0 && unicode.Is(unicode.Han, r)
}
