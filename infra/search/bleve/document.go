package blevestore

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/tidwall/gjson"

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
//
// Only the source's top-level fields that the schema names are decoded
// (gjson walks the rest without allocating): a rebuild spent a seventh of
// its time decoding whole documents, nested histories included, into maps
// to read a few fields of each.
func (h *handle) buildDocument(schema *projections.Schema, d projections.Document) (*document.Document, error) {
	if !gjson.ValidBytes(d.Source) {
		return nil, fmt.Errorf("document %s: source is not valid JSON", d.ID)
	}
	obj := gjson.ParseBytes(d.Source)
	if !obj.IsObject() {
		return nil, fmt.Errorf("document %s: source is not a JSON object", d.ID)
	}
	bd := document.NewDocument(d.ID)
	textPos := uint64(0)
	var err error
	obj.ForEach(func(key, v gjson.Result) bool {
		name := key.String()
		kind, indexed := schema.Fields[name]
		if !indexed || v.Type == gjson.Null {
			return true
		}
		if !v.IsArray() {
			if err = h.addField(bd, name, kind, nil, v, &textPos); err != nil {
				err = fmt.Errorf("document %s: field %s: %w", d.ID, name, err)
			}
			return err == nil
		}
		i := uint64(0)
		v.ForEach(func(_, e gjson.Result) bool {
			if e.Type != gjson.Null {
				if err = h.addField(bd, name, kind, []uint64{i}, e, &textPos); err != nil {
					err = fmt.Errorf("document %s: field %s: %w", d.ID, name, err)
				}
			}
			i++
			return err == nil
		})
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	bd.AddField(document.NewTextFieldCustom(sourceField, nil, encodePayload(d.Version, d.Source), index.StoreField, nil))
	return bd, nil
}

// kindName names a JSON value's kind for errors.
func kindName(v gjson.Result) string {
	switch {
	case v.IsArray():
		return "an array"
	case v.IsObject():
		return "an object"
	case v.Type == gjson.String:
		return "a string"
	case v.Type == gjson.Number:
		return "a number"
	case v.IsBool():
		return "a boolean"
	}
	return "null"
}

func (h *handle) addField(bd *document.Document, name string, kind projections.FieldKind, pos []uint64, v gjson.Result, textPos *uint64) error {
	switch kind {
	case projections.Keyword, projections.Label:
		var s string
		switch {
		case v.Type == gjson.String:
			s = v.Str
		case v.Type == gjson.Number:
			s = v.Raw // exact, as written
		case v.IsBool():
			s = strconv.FormatBool(v.Bool())
		default:
			return fmt.Errorf("keyword wants a string, got %s", kindName(v))
		}
		bd.AddField(document.NewTextFieldCustom(name, pos, []byte(s), exactOpts, h.keyword))
		if kind == projections.Label {
			bd.AddField(document.NewTextFieldCustom(textField, []uint64{*textPos}, []byte(s), textOpts, h.cjk))
			*textPos++
		}
	case projections.Bool:
		if !v.IsBool() {
			return fmt.Errorf("bool wants true or false, got %s", kindName(v))
		}
		bd.AddField(document.NewTextFieldCustom(name, pos, []byte(strconv.FormatBool(v.Bool())), exactOpts, h.keyword))
	case projections.Text:
		if v.Type != gjson.String {
			return fmt.Errorf("text wants a string, got %s", kindName(v))
		}
		// Each value gets its own array position, so token positions of
		// different Text fields never overlap.
		bd.AddField(document.NewTextFieldCustom(textField, []uint64{*textPos}, []byte(v.Str), textOpts, h.cjk))
		*textPos++
	case projections.Date:
		if v.Type != gjson.String {
			return fmt.Errorf("date wants an RFC 3339 string, got %s", kindName(v))
		}
		s := v.Str
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
		if v.Type != gjson.Number {
			return fmt.Errorf("number wants a JSON number, got %s", kindName(v))
		}
		f, err := strconv.ParseFloat(v.Raw, 64)
		if err != nil {
			return fmt.Errorf("number: %w", err)
		}
		bd.AddField(document.NewNumericFieldWithIndexingOptions(name, pos, f, exactOpts))
	}
	return nil
}
