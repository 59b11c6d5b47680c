package elasticstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/butler-pm/butler/projections"
)

const (
	defaultSize = 20
	maxSize     = 1000
	facetSize   = 50
)

// Search runs q against the read model's alias (or a generation's name).
func (s *Store) Search(ctx context.Context, index string, q projections.Query) (projections.Result, error) {
	phys, err := s.physical(index)
	if err != nil {
		return projections.Result{}, err
	}
	req, err := searchBody(q)
	if err != nil {
		return projections.Result{}, fmt.Errorf("elasticstore: search %s: %w", index, err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return projections.Result{}, err
	}
	_, resp, err := s.do(ctx, http.MethodPost, "/"+phys+"/_search", body, "")
	if err != nil {
		return projections.Result{}, fmt.Errorf("elasticstore: search %s: %w", index, err)
	}
	res, err := decodeResult(resp, q.Facets)
	if err != nil {
		return projections.Result{}, fmt.Errorf("elasticstore: search %s: %w", index, err)
	}
	return res, nil
}

// searchBody translates q into an Elasticsearch search request.
func searchBody(q projections.Query) (map[string]any, error) {
	var must, filter []any
	// Every word must match: "漏水 3栋" narrows, as a search box should;
	// a word matches when any of its alternatives (itself, its synonyms)
	// does.
	for _, group := range projections.TextGroups(q) {
		if len(group) == 1 {
			must = append(must, textQuery(group[0]))
			continue
		}
		anyOf := make([]any, 0, len(group))
		for _, alt := range group {
			anyOf = append(anyOf, textQuery(alt))
		}
		must = append(must, map[string]any{"bool": map[string]any{"should": anyOf, "minimum_should_match": 1}})
	}
	// Sorted field order keeps the request (and tests) deterministic.
	fields := make([]string, 0, len(q.Terms))
	for f := range q.Terms {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if len(q.Terms[f]) == 0 {
			continue
		}
		filter = append(filter, map[string]any{"terms": map[string]any{f: q.Terms[f]}})
	}
	for _, r := range q.Ranges {
		rq, err := rangeQuery(r)
		if err != nil {
			return nil, err
		}
		if rq != nil {
			filter = append(filter, rq)
		}
	}
	boolQ := map[string]any{
		"must_not": []any{map[string]any{"ids": map[string]any{"values": []string{checkpointID}}}},
	}
	if len(must) > 0 {
		boolQ["must"] = must
	}
	if len(filter) > 0 {
		boolQ["filter"] = filter
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

	order := sortClauses(q)
	req := map[string]any{
		"query":            map[string]any{"bool": boolQ},
		"size":             size,
		"sort":             order,
		"track_total_hits": true,
		// _version of each hit is the document's Version (external).
		"version": true,
	}
	if from > 0 {
		req["from"] = from
	}
	if q.After != "" {
		after, err := decodeCursor(q.After, len(order))
		if err != nil {
			return nil, err
		}
		req["search_after"] = after
	}
	if len(q.Facets) > 0 {
		aggs := make(map[string]any, len(q.Facets))
		for i, f := range q.Facets {
			aggs[facetName(i)] = map[string]any{"terms": map[string]any{"field": f, "size": facetSize}}
		}
		req["aggs"] = aggs
	}
	return req, nil
}

// textQuery matches one word: all its bigrams; one Chinese character, as
// part of any indexed word (the cjk analyzer indexes bigrams).
func textQuery(word string) map[string]any {
	if projections.SingleCJK(word) {
		return map[string]any{"wildcard": map[string]any{textField: map[string]any{"value": "*" + word + "*"}}}
	}
	return map[string]any{"match": map[string]any{textField: map[string]any{"query": word, "operator": "and"}}}
}

// sortClauses builds the requested order; missing values sort last either
// way, and the id always breaks ties. Without Sort, text queries order by
// relevance, others by id alone.
func sortClauses(q projections.Query) []any {
	order := make([]any, 0, len(q.Sort)+2)
	for _, s := range q.Sort {
		dir := "asc"
		if s.Desc {
			dir = "desc"
		}
		order = append(order, map[string]any{s.Field: map[string]any{"order": dir, "missing": "_last"}})
	}
	if len(q.Sort) == 0 && q.Text != "" {
		order = append(order, map[string]any{"_score": map[string]any{"order": "desc"}})
	}
	return append(order, map[string]any{idField: map[string]any{"order": "asc"}})
}

func facetName(i int) string { return "facet" + strconv.Itoa(i) }

// rangeQuery bounds a Date (time.Time bounds) or Number field: Min
// inclusive, Max exclusive; nil when both bounds are open.
func rangeQuery(r projections.Range) (map[string]any, error) {
	if r.Field == "" {
		return nil, errors.New("range without a field")
	}
	lo, err := bound(r.Min)
	if err != nil {
		return nil, fmt.Errorf("range on %s: min: %w", r.Field, err)
	}
	hi, err := bound(r.Max)
	if err != nil {
		return nil, fmt.Errorf("range on %s: max: %w", r.Field, err)
	}
	if lo == nil && hi == nil {
		return nil, nil
	}
	loTime, hiTime := isTime(r.Min) && lo != nil, isTime(r.Max) && hi != nil
	if lo != nil && hi != nil && (loTime != hiTime || (!loTime && fmt.Sprintf("%T", lo) != fmt.Sprintf("%T", hi))) {
		return nil, fmt.Errorf("range on %s: the bounds are of different kinds", r.Field)
	}
	rng := map[string]any{}
	if lo != nil {
		rng["gte"] = lo
	}
	if hi != nil {
		rng["lt"] = hi
	}
	if loTime || hiTime {
		rng["format"] = "strict_date_optional_time_nanos"
	}
	return map[string]any{"range": map[string]any{r.Field: rng}}, nil
}

func isTime(v any) bool {
	switch v.(type) {
	case time.Time, *time.Time:
		return true
	}
	return false
}

// bound renders a range bound: a time as RFC 3339 in UTC with nanoseconds,
// a number as float64, a keyword as itself (compared as text); nil (or a
// nil pointer, the zero time, "") is open.
func bound(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		if x.IsZero() {
			return nil, nil
		}
		return x.UTC().Format(time.RFC3339Nano), nil
	case *time.Time:
		if x == nil || x.IsZero() {
			return nil, nil
		}
		return x.UTC().Format(time.RFC3339Nano), nil
	case string:
		if x == "" {
			return nil, nil
		}
		return x, nil
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case uint32:
		return float64(x), nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, err
		}
		return f, nil
	case *float64:
		if x == nil {
			return nil, nil
		}
		return *x, nil
	default:
		return nil, fmt.Errorf("want a time.Time or a number, got %T", v)
	}
}

// The cursor is the last hit's sort values exactly as Elasticsearch
// returned them (raw JSON: epoch nanoseconds exceed a float64's precision),
// which search_after takes back unchanged.
func encodeCursor(sortValues []json.RawMessage) string {
	b, _ := json.Marshal(sortValues) // raw JSON values always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string, n int) ([]json.RawMessage, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", projections.ErrInvalidCursor, err)
	}
	var vals []json.RawMessage
	if err := json.Unmarshal(b, &vals); err != nil {
		return nil, fmt.Errorf("%w: %v", projections.ErrInvalidCursor, err)
	}
	if len(vals) != n {
		return nil, fmt.Errorf("%w: it does not match the query's sort", projections.ErrInvalidCursor)
	}
	return vals, nil
}

func decodeResult(resp []byte, facets []string) (projections.Result, error) {
	var r struct {
		Hits struct {
			Total struct {
				Value int `json:"value"`
			} `json:"total"`
			Hits []struct {
				ID      string            `json:"_id"`
				Version uint64            `json:"_version"`
				Source  json.RawMessage   `json:"_source"`
				Sort    []json.RawMessage `json:"sort"`
			} `json:"hits"`
		} `json:"hits"`
		Aggregations map[string]struct {
			Buckets []struct {
				Key         json.RawMessage `json:"key"`
				KeyAsString *string         `json:"key_as_string"`
				DocCount    int             `json:"doc_count"`
			} `json:"buckets"`
		} `json:"aggregations"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		return projections.Result{}, fmt.Errorf("decoding response: %w", err)
	}
	out := projections.Result{Total: r.Hits.Total.Value, Hits: make([]projections.Document, 0, len(r.Hits.Hits))}
	for _, h := range r.Hits.Hits {
		out.Hits = append(out.Hits, projections.Document{ID: h.ID, Version: h.Version, Source: h.Source})
	}
	if n := len(r.Hits.Hits); n > 0 {
		out.Cursor = encodeCursor(r.Hits.Hits[n-1].Sort)
	}
	if len(facets) > 0 {
		out.Facets = make(map[string][]projections.FacetTerm, len(facets))
		for i, f := range facets {
			terms := []projections.FacetTerm{}
			for _, b := range r.Aggregations[facetName(i)].Buckets {
				term := ""
				switch {
				case b.KeyAsString != nil:
					// Booleans: key 1/0, key_as_string "true"/"false".
					term = *b.KeyAsString
				case json.Unmarshal(b.Key, &term) == nil:
				default:
					term = string(b.Key)
				}
				terms = append(terms, projections.FacetTerm{Term: term, Count: b.DocCount})
			}
			out.Facets[f] = terms
		}
	}
	return out, nil
}
