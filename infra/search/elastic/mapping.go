package elasticstore

import (
	"github.com/butler-pm/butler/projections"
)

// indexBody is the create-index request for a generation of schema:
// settings, explicit mappings and, for a first generation, the alias.
func (s *Store) indexBody(schema projections.Schema, alias string) map[string]any {
	body := map[string]any{
		"settings": map[string]any{"index": map[string]any{
			// One shard: read models are small, and one shard keeps facet
			// counts exact and relevance scores consistent across pages.
			"number_of_shards":   1,
			"number_of_replicas": s.replicas,
			// Set explicitly: an index with a default refresh interval stops
			// refreshing when search-idle, and the first search after that
			// waits; the contract promises searchability within 1 s.
			"refresh_interval": "500ms",
		}},
		"mappings": map[string]any{
			// Fields outside the schema are stored in _source, not indexed.
			"dynamic":    false,
			"_source":    map[string]any{"excludes": []string{idField}},
			"_meta":      schemaMeta(schema),
			"properties": properties(schema),
		},
	}
	if alias != "" {
		body["aliases"] = map[string]any{alias: map[string]any{}}
	}
	return body
}

// schemaMeta records the schema in the mapping, for operators and tools.
func schemaMeta(schema projections.Schema) map[string]any {
	fields := make(map[string]string, len(schema.Fields))
	for f, k := range schema.Fields {
		fields[f] = kindName(k)
	}
	return map[string]any{"butler": map[string]any{"readModel": schema.Name, "fields": fields}}
}

func kindName(k projections.FieldKind) string {
	switch k {
	case projections.Keyword:
		return "keyword"
	case projections.Text:
		return "text"
	case projections.Date:
		return "date"
	case projections.Number:
		return "number"
	case projections.Bool:
		return "bool"
	case projections.Label:
		return "label"
	}
	return "unknown"
}

// properties maps each schema field to an explicit Elasticsearch type.
func properties(schema projections.Schema) map[string]any {
	props := map[string]any{
		idField:   map[string]any{"type": "keyword"},
		textField: map[string]any{"type": "text", "analyzer": cjkAnalyzer},
	}
	for f, k := range schema.Fields {
		switch k {
		case projections.Keyword:
			// ignore_above: an over-long value is stored but not indexed,
			// rather than failing the whole document (Lucene's term limit).
			props[f] = map[string]any{"type": "keyword", "ignore_above": 4096}
		case projections.Label:
			props[f] = map[string]any{"type": "keyword", "ignore_above": 4096, "copy_to": []string{textField}}
		case projections.Text:
			props[f] = map[string]any{"type": "text", "analyzer": cjkAnalyzer, "copy_to": []string{textField}}
		case projections.Date:
			// date_nanos: RFC 3339 times keep their nanoseconds, so range
			// bounds are exact (a millisecond date would round them).
			// It covers 1970..2262; ignore_malformed keeps a document with
			// a date outside that range (or not a date) storable.
			props[f] = map[string]any{"type": "date_nanos", "ignore_malformed": true}
		case projections.Number:
			props[f] = map[string]any{"type": "double", "ignore_malformed": true}
		case projections.Bool:
			props[f] = map[string]any{"type": "boolean"}
		}
	}
	return props
}
