package blevestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/butler-pm/butler/projections"
)

// Indexing options: filter/sort/facet fields need doc values; nothing but
// the source is stored, which keeps the index small.
const (
	exactOpts = index.IndexField | index.DocValues
	textOpts  = index.IndexField
)

// buildDocument turns a read-model document into a bleve document by hand
// rather than through bleve's reflective mapping, so that each schema kind
// is indexed exactly one way: Keyword and Bool as exact terms (Bool as
// "true"/"false"), Text into the shared CJK-analyzed full-text field, Date
// and Number as numeric terms.
func (h *handle) buildDocument(schema *projections.Schema, d projections.Document) (*document.Document, error) {
	dec := json.NewDecoder(bytes.NewReader(d.Source))
	dec.UseNumber() // keep numbers exact for keyword fields
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("document %s: source is not a JSON object: %w", d.ID, err)
	}
	bd := document.NewDocument(d.ID)
	textPos := uint64(0)
	for name, kind := range schema.Fields {
		v, ok := obj[name]
		if !ok || v == nil {
			continue
		}
		values, isArray := v.([]any)
		if !isArray {
			values = []any{v}
		}
		for i, e := range values {
			if e == nil {
				continue
			}
			var pos []uint64
			if isArray {
				pos = []uint64{uint64(i)}
			}
			if err := h.addField(bd, name, kind, pos, e, &textPos); err != nil {
				return nil, fmt.Errorf("document %s: field %s: %w", d.ID, name, err)
			}
		}
	}
	bd.AddField(document.NewTextFieldCustom(sourceField, nil, encodePayload(d.Version, d.Source), index.StoreField, nil))
	return bd, nil
}

func (h *handle) addField(bd *document.Document, name string, kind projections.FieldKind, pos []uint64, v any, textPos *uint64) error {
	switch kind {
	case projections.Keyword, projections.Label:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case json.Number:
			s = x.String()
		case bool:
			s = strconv.FormatBool(x)
		default:
			return fmt.Errorf("keyword wants a string, got %T", v)
		}
		bd.AddField(document.NewTextFieldCustom(name, pos, []byte(s), exactOpts, h.keyword))
		if kind == projections.Label {
			bd.AddField(document.NewTextFieldCustom(textField, []uint64{*textPos}, []byte(s), textOpts, h.cjk))
			*textPos++
		}
	case projections.Bool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("bool wants true or false, got %T", v)
		}
		bd.AddField(document.NewTextFieldCustom(name, pos, []byte(strconv.FormatBool(b)), exactOpts, h.keyword))
	case projections.Text:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("text wants a string, got %T", v)
		}
		// Each value gets its own array position, so token positions of
		// different Text fields never overlap.
		bd.AddField(document.NewTextFieldCustom(textField, []uint64{*textPos}, []byte(s), textOpts, h.cjk))
		*textPos++
	case projections.Date:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("date wants an RFC 3339 string, got %T", v)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			// A bare calendar date, as Elasticsearch's default date format
			// also accepts; it means midnight UTC.
			var derr error
			if t, derr = time.Parse(time.DateOnly, s); derr != nil {
				return fmt.Errorf("date: %w", err)
			}
		}
		f, err := document.NewDateTimeFieldWithIndexingOptions(name, pos, t, time.RFC3339Nano, exactOpts)
		if err != nil {
			return fmt.Errorf("date %s: %w", s, err)
		}
		bd.AddField(f)
	case projections.Number:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("number wants a JSON number, got %T", v)
		}
		f, err := n.Float64()
		if err != nil {
			return fmt.Errorf("number: %w", err)
		}
		bd.AddField(document.NewNumericFieldWithIndexingOptions(name, pos, f, exactOpts))
	}
	return nil
}
