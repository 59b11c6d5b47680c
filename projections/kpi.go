package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// KPIKind says how a KPI's value is computed from its records.
type KPIKind int

const (
	// Rate: value = numerator / denominator, where the numerator counts
	// the records that meet the target.
	Rate KPIKind = iota + 1
	// Average: value = the mean of the measured numbers over the records.
	Average
	// Count: value = the number of records that meet the condition.
	Count
)

// KPI is a figure computed from one read model, per project, district,
// butler and month. Every figure is traceable: the answer lists the ids of
// the records behind it.
type KPI struct {
	Name        string
	Description string
	Target      string
	// Index is the read model the KPI reads (a Custom KPI too): a KPI as
	// of a moment folds it again from the log.
	Index string
	Kind  KPIKind
	// Where selects the records the KPI is about (the denominator).
	Where map[string][]string
	// MonthField is the keyword field (YYYY-MM) that ?month= filters.
	MonthField string
	// ButlerField is the keyword field that ?butler= filters (default "butler").
	ButlerField string
	// Measure reads one record: for Rate and Count, whether it meets the
	// target (value ignored); for Average, the number to average (ok false:
	// the record has no number and is left out).
	Measure func(src json.RawMessage) (value float64, ok bool, err error)
	// Custom, when set, computes the figure itself (a money-weighted rate,
	// say) from Index, and the fields above but Name, Description, Target
	// and Index are unused; its answer has the same shape, ids included.
	Custom func(ctx context.Context, reads KPIReads, f KPIFilter) (KPIResult, error)
}

// KPIReads is what a KPI reads: the search store.
type KPIReads interface {
	Search(ctx context.Context, index string, q Query) (Result, error)
}

// KPIFilter narrows a KPI to a place and a month.
type KPIFilter struct {
	Project  string `json:"project"`
	District string `json:"district,omitempty"`
	Butler   string `json:"butler,omitempty"`
	Month    string `json:"month,omitempty"`
}

// KPIResult is a KPI's answer.
type KPIResult struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Target      string   `json:"target,omitempty"`
	Value       *float64 `json:"value"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	// Records are the ids of every record considered (the denominator);
	// NumeratorRecords those that met the condition.
	Records          []string  `json:"records"`
	NumeratorRecords []string  `json:"numerator_records"`
	Filter           KPIFilter `json:"filter"`
	// AsOf, when set, is the moment the KPI was computed as of: only the
	// events recorded until then count.
	AsOf time.Time `json:"as_of,omitzero"`
}

// Compute evaluates the KPI over every matching record.
func (k KPI) Compute(ctx context.Context, reads interface {
	Search(ctx context.Context, index string, q Query) (Result, error)
}, f KPIFilter) (KPIResult, error) {
	if k.Custom != nil {
		return k.Custom(ctx, reads, f)
	}
	q := Query{Terms: map[string][]string{"project": {f.Project}}, Size: 1000, Sort: []Sort{{Field: "id"}}}
	for field, vals := range k.Where {
		q.Terms[field] = vals
	}
	if f.District != "" {
		q.Terms["district"] = []string{f.District}
	}
	if f.Butler != "" {
		field := k.ButlerField
		if field == "" {
			field = "butler"
		}
		q.Terms[field] = []string{f.Butler}
	}
	if f.Month != "" && k.MonthField != "" {
		q.Terms[k.MonthField] = []string{f.Month}
	}
	res := KPIResult{Name: k.Name, Description: k.Description, Target: k.Target, Filter: f, Records: []string{}, NumeratorRecords: []string{}}
	var sum float64
	for {
		page, err := reads.Search(ctx, k.Index, q)
		if err != nil {
			return res, fmt.Errorf("kpi %s: %w", k.Name, err)
		}
		for _, h := range page.Hits {
			v, ok, err := k.Measure(h.Source)
			if err != nil {
				return res, fmt.Errorf("kpi %s: record %s: %w", k.Name, h.ID, err)
			}
			switch k.Kind {
			case Average:
				if !ok {
					continue
				}
				res.Records = append(res.Records, h.ID)
				res.NumeratorRecords = append(res.NumeratorRecords, h.ID)
				sum += v
			default:
				res.Records = append(res.Records, h.ID)
				if ok {
					res.NumeratorRecords = append(res.NumeratorRecords, h.ID)
				}
			}
		}
		if len(page.Hits) < q.Size {
			break
		}
		q.After = page.Cursor
	}
	res.Denominator = float64(len(res.Records))
	switch k.Kind {
	case Average:
		res.Numerator = sum
		if res.Denominator > 0 {
			v := sum / res.Denominator
			res.Value = &v
		}
	case Count:
		res.Numerator = float64(len(res.NumeratorRecords))
		v := res.Numerator
		res.Value = &v
	default:
		res.Numerator = float64(len(res.NumeratorRecords))
		if res.Denominator > 0 {
			v := res.Numerator / res.Denominator
			res.Value = &v
		}
	}
	slices.Sort(res.Records)
	slices.Sort(res.NumeratorRecords)
	return res, nil
}

// Field returns a measure that reads one JSON field of the record: a bool
// field for Rate and Count KPIs, a number for Average.
// Hours measures the hours between two time fields of a record (ok false
// when either is missing).
func Hours(from, to string) func(json.RawMessage) (float64, bool, error) {
	return func(src json.RawMessage) (float64, bool, error) {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(src, &fields); err != nil {
			return 0, false, err
		}
		var at [2]time.Time
		for i, f := range []string{from, to} {
			raw, ok := fields[f]
			if !ok || string(raw) == "null" {
				return 0, false, nil
			}
			if err := json.Unmarshal(raw, &at[i]); err != nil {
				return 0, false, fmt.Errorf("%s: %w", f, err)
			}
		}
		return at[1].Sub(at[0]).Hours(), true, nil
	}
}

func Field(name string) func(json.RawMessage) (float64, bool, error) {
	return func(src json.RawMessage) (float64, bool, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(src, &m); err != nil {
			return 0, false, err
		}
		raw, ok := m[name]
		if !ok || string(raw) == "null" {
			return 0, false, nil
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return 0, false, err
		}
		switch x := v.(type) {
		case bool:
			return 0, x, nil
		case float64:
			return x, true, nil
		}
		return 0, false, fmt.Errorf("field %s is neither a bool nor a number", name)
	}
}
