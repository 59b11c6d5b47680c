package blevestore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/butler-pm/butler/projections"
)

const (
	defaultSize = 20
	maxSize     = 1000
	facetSize   = 50
)

// Search runs q. Bleve makes a batch searchable as soon as Batch returns,
// so there is no refresh delay.
func (s *Store) Search(ctx context.Context, name string, q projections.Query) (projections.Result, error) {
	if err := ctx.Err(); err != nil {
		return projections.Result{}, err
	}
	h, err := s.mustOpen(name)
	if err != nil {
		return projections.Result{}, err
	}
	schema := h.schema.Load()
	if schema == nil {
		return projections.Result{}, fmt.Errorf("blevestore: index %s has no schema: call EnsureIndex first", name)
	}
	req, err := buildRequest(schema, q)
	if err != nil {
		return projections.Result{}, fmt.Errorf("blevestore: search %s: %w", name, err)
	}
	res, err := h.idx.SearchInContext(ctx, req)
	if err != nil {
		return projections.Result{}, fmt.Errorf("blevestore: search %s: %w", name, err)
	}
	out := projections.Result{Total: int(res.Total), Hits: make([]projections.Document, 0, len(res.Hits))}
	for _, hit := range res.Hits {
		raw, ok := hit.Fields[sourceField].(string)
		if !ok {
			return projections.Result{}, fmt.Errorf("blevestore: search %s: hit %s has no stored source", name, hit.ID)
		}
		v, src, err := decodePayload([]byte(raw))
		if err != nil {
			return projections.Result{}, fmt.Errorf("blevestore: search %s: hit %s: %w", name, hit.ID, err)
		}
		out.Hits = append(out.Hits, projections.Document{ID: hit.ID, Version: v, Source: src})
	}
	if n := len(res.Hits); n > 0 {
		out.Cursor = encodeCursor(req.Sort, res.Hits[n-1])
	}
	if len(res.Facets) > 0 {
		out.Facets = make(map[string][]projections.FacetTerm, len(res.Facets))
		for field, fr := range res.Facets {
			terms := []projections.FacetTerm{}
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					terms = append(terms, projections.FacetTerm{Term: t.Term, Count: t.Count})
				}
			}
			out.Facets[field] = terms
		}
	}
	return out, nil
}

func buildRequest(schema *projections.Schema, q projections.Query) (*bleve.SearchRequest, error) {
	var must []query.Query
	// Every word must match: "漏水 3栋" narrows, as a search box should;
	// a word matches when any of its alternatives (itself, its synonyms)
	// does.
	for _, group := range projections.TextGroups(q) {
		anyOf := make([]query.Query, 0, len(group))
		for _, alt := range group {
			anyOf = append(anyOf, textQuery(alt))
		}
		if len(anyOf) == 1 {
			must = append(must, anyOf[0])
		} else {
			must = append(must, bleve.NewDisjunctionQuery(anyOf...))
		}
	}
	for field, values := range q.Terms {
		if k := schema.Fields[field]; !k.Exact() && k != projections.Bool {
			return nil, fmt.Errorf("term filter on %q: not a keyword or bool field", field)
		}
		if len(values) == 0 {
			continue
		}
		oneOf := make([]query.Query, 0, len(values))
		for _, v := range values {
			tq := bleve.NewTermQuery(v)
			tq.SetField(field)
			oneOf = append(oneOf, tq)
		}
		must = append(must, bleve.NewDisjunctionQuery(oneOf...))
	}
	for _, r := range q.Ranges {
		rq, err := rangeQuery(schema, r)
		if err != nil {
			return nil, err
		}
		if rq != nil {
			must = append(must, rq)
		}
	}
	var root query.Query
	switch len(must) {
	case 0:
		root = bleve.NewMatchAllQuery()
	case 1:
		root = must[0]
	default:
		root = bleve.NewConjunctionQuery(must...)
	}

	size := q.Size
	if size <= 0 {
		size = defaultSize
	}
	size = min(size, maxSize)
	from := max(q.From, 0)
	if q.After != "" && from != 0 {
		return nil, errors.New("After and From cannot be combined")
	}
	req := bleve.NewSearchRequestOptions(root, size, from, false)
	req.Fields = []string{sourceField}

	order, err := sortOrder(schema, q)
	if err != nil {
		return nil, err
	}
	req.SortByCustom(order)
	if q.Text == "" || len(q.Sort) > 0 {
		// Relevance is unused: skip computing it.
		req.Score = "none"
	}
	if q.After != "" {
		after, err := decodeCursor(q.After, len(order))
		if err != nil {
			return nil, err
		}
		req.SearchAfter = after
	}
	for _, f := range q.Facets {
		if k := schema.Fields[f]; !k.Exact() && k != projections.Bool {
			return nil, fmt.Errorf("facet on %q: not a keyword or bool field", f)
		}
		req.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
	}
	return req, nil
}

// sortOrder builds the requested order; the id always breaks ties.
// Fields sort as raw indexed terms (SortFieldAuto): keywords compare as
// strings and bleve's prefix-coded numbers and dates compare in numeric
// order, which also lets the cursor carry raw terms.
func sortOrder(schema *projections.Schema, q projections.Query) (search.SortOrder, error) {
	var order search.SortOrder
	for _, s := range q.Sort {
		switch schema.Fields[s.Field] {
		case projections.Keyword, projections.Label, projections.Bool, projections.Date, projections.Number:
		default:
			return nil, fmt.Errorf("sort on %q: not a keyword, bool, date or number field", s.Field)
		}
		order = append(order, &search.SortField{Field: s.Field, Desc: s.Desc, Type: search.SortFieldAuto, Missing: search.SortFieldMissingLast})
	}
	if len(q.Sort) == 0 && q.Text != "" {
		order = append(order, &search.SortScore{Desc: true})
	}
	return append(order, &search.SortDocID{}), nil
}

// textQuery matches one word: all its bigrams; one Chinese character, as
// part of any indexed word (the index holds bigrams, not single characters).
func textQuery(word string) query.Query {
	if projections.SingleCJK(word) {
		wq := bleve.NewWildcardQuery("*" + word + "*")
		wq.SetField(textField)
		return wq
	}
	mq := bleve.NewMatchQuery(word)
	mq.SetField(textField)
	mq.Analyzer = cjk.AnalyzerName
	mq.SetOperator(query.MatchQueryOperatorAnd)
	return mq
}

func rangeQuery(schema *projections.Schema, r projections.Range) (query.Query, error) {
	if r.Min == nil && r.Max == nil {
		return nil, nil
	}
	incl, excl := true, false
	switch schema.Fields[r.Field] {
	case projections.Date:
		var lo, hi time.Time
		var err error
		if lo, err = timeBound(r.Min); err != nil {
			return nil, fmt.Errorf("range on %s: min: %w", r.Field, err)
		}
		if hi, err = timeBound(r.Max); err != nil {
			return nil, fmt.Errorf("range on %s: max: %w", r.Field, err)
		}
		q := bleve.NewDateRangeInclusiveQuery(lo, hi, &incl, &excl)
		q.SetField(r.Field)
		return q, nil
	case projections.Number:
		lo, err := numberBound(r.Min)
		if err != nil {
			return nil, fmt.Errorf("range on %s: min: %w", r.Field, err)
		}
		hi, err := numberBound(r.Max)
		if err != nil {
			return nil, fmt.Errorf("range on %s: max: %w", r.Field, err)
		}
		q := bleve.NewNumericRangeInclusiveQuery(lo, hi, &incl, &excl)
		q.SetField(r.Field)
		return q, nil
	case projections.Keyword, projections.Label:
		lo, err := keywordBound(r.Min)
		if err != nil {
			return nil, fmt.Errorf("range on %s: min: %w", r.Field, err)
		}
		hi, err := keywordBound(r.Max)
		if err != nil {
			return nil, fmt.Errorf("range on %s: max: %w", r.Field, err)
		}
		q := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &excl)
		q.SetField(r.Field)
		return q, nil
	default:
		return nil, fmt.Errorf("range on %q: not a date, number or keyword field", r.Field)
	}
}

// keywordBound is a keyword range's bound; "" is open.
func keywordBound(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	default:
		return "", fmt.Errorf("want a string, got %T", v)
	}
}

// timeBound returns the zero time for an open bound, which bleve treats as
// unbounded.
func timeBound(v any) (time.Time, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return x, nil
	case *time.Time:
		if x == nil {
			return time.Time{}, nil
		}
		return *x, nil
	default:
		return time.Time{}, fmt.Errorf("want time.Time, got %T", v)
	}
}

func numberBound(v any) (*float64, error) {
	var f float64
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case uint64:
		f = float64(x)
	case uint32:
		f = float64(x)
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("want a number, got %T", v)
	}
	return &f, nil
}

// The cursor is the last hit's sort values, as bleve's SearchAfter takes
// them: raw indexed terms (which may be binary, hence bytes in JSON, i.e.
// base64), the id, and the score in full precision for relevance order.
func encodeCursor(order search.SortOrder, hit *search.DocumentMatch) string {
	vals := make([][]byte, len(order))
	for i, so := range order {
		switch so.(type) {
		case *search.SortScore:
			vals[i] = strconv.AppendFloat(nil, hit.Score, 'g', -1, 64)
		case *search.SortDocID:
			vals[i] = []byte(hit.ID)
		default:
			if i < len(hit.Sort) {
				vals[i] = []byte(hit.Sort[i])
			}
		}
	}
	b, _ := json.Marshal(vals) // [][]byte always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string, n int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", projections.ErrInvalidCursor, err)
	}
	var vals [][]byte
	if err := json.Unmarshal(b, &vals); err != nil {
		return nil, fmt.Errorf("%w: %v", projections.ErrInvalidCursor, err)
	}
	if len(vals) != n {
		return nil, fmt.Errorf("%w: it does not match the query's sort", projections.ErrInvalidCursor)
	}
	out := make([]string, n)
	for i, v := range vals {
		out[i] = string(v)
	}
	return out, nil
}
