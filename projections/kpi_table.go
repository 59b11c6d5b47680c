package projections

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A KPI table breaks one KPI down by district, butler and month in one
// answer. Every cell is the KPI's own Compute over that cell's filter, so a
// cell's figure is exactly what GET /kpis/{name}?district=&butler=&month=
// answers (and lists the records of): the table adds no second definition.

// KPI table dimensions.
const (
	DimDistrict = "district"
	DimButler   = "butler"
	DimMonth    = "month"
)

// customDimensions are the dimensions a Custom KPI's own filter honours:
// the others it ignores, so a breakdown by them would repeat one figure.
var customDimensions = map[string][]string{
	"fee-collection-rate":          {DimDistrict, DimButler, DimMonth},
	"key-supervisor-weekly-checks": {DimMonth},
	"training-plan-completion":     {DimMonth},
}

// Dimensions lists what the KPI can be broken down by, given its read
// model's fields: a district and a butler field it filters on, and a
// month field.
func (k KPI) Dimensions(fields map[string]FieldKind) []string {
	if k.Custom != nil {
		return customDimensions[k.Name]
	}
	var dims []string
	if _, ok := fields["district"]; ok {
		dims = append(dims, DimDistrict)
	}
	if _, ok := fields[k.butlerField()]; ok {
		dims = append(dims, DimButler)
	}
	if k.MonthField != "" {
		dims = append(dims, DimMonth)
	}
	return dims
}

func (k KPI) butlerField() string {
	if k.ButlerField != "" {
		return k.ButlerField
	}
	return "butler"
}

// groupField is the field of the KPI's read model that holds a dimension's
// values (for finding which values exist).
func (k KPI) groupField(dim string) string {
	switch {
	case k.Custom != nil:
		return dim
	case dim == DimButler:
		return k.butlerField()
	case dim == DimMonth:
		return k.MonthField
	}
	return dim
}

// lowerIsBetter names the KPIs without a numeric target where less is
// better; every KPI whose target is "0" is too.
var lowerIsBetter = map[string]bool{
	"complaint-time-to-close":  true,
	"work-order-time-to-close": true,
	"fee-arrears-ageing":       true,
	"fee-arrears-0-30":         true,
	"fee-arrears-31-90":        true,
	"fee-arrears-91-180":       true,
	"fee-arrears-over-180":     true,
}

// TargetValue reads the KPI's target as a number ("100%" → 1, "≥20%" →
// 0.2, "≥2 a month" → 2, "0" → 0; nil when the target is words only) and
// whether a higher value is better.
func (k KPI) TargetValue() (target *float64, higherIsBetter bool) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(k.Target), "≥"))
	num := t
	if i := strings.IndexAny(t, " %("); i >= 0 {
		num = t[:i]
	}
	if v, err := strconv.ParseFloat(num, 64); err == nil && num != "" {
		if strings.HasPrefix(t[len(num):], "%") {
			v /= 100
		}
		target = &v
	}
	higherIsBetter = !lowerIsBetter[k.Name] && !(target != nil && *target == 0)
	return target, higherIsBetter
}

// KPITableRow is one cell: its group (district, butler, month as asked)
// and the KPI's figure there.
type KPITableRow struct {
	Group       map[string]string
	Value       *float64
	Numerator   float64
	Denominator float64
}

// KPITableQuery is a table's request: the dimensions in order, the scope
// (project, and district for a district-bound caller or a filter), and
// the months (YYYY-MM, oldest first; empty: all time, allowed only
// without the month dimension).
type KPITableQuery struct {
	By       []string
	Project  string
	District string
	Butler   string
	Months   []string
}

// ErrDimension is returned for a dimension the KPI cannot be broken down by.
type ErrDimension struct{ KPI, Dim string }

func (e ErrDimension) Error() string {
	return fmt.Sprintf("KPI %s cannot be broken down by %s", e.KPI, e.Dim)
}

// KPITable computes the KPI for every combination of the dimensions'
// values found in its read model (months: those asked). Without the month
// dimension but with months, a cell sums its months' numerators and
// denominators.
func KPITable(ctx context.Context, reads KPIReads, k KPI, fields map[string]FieldKind, q KPITableQuery) ([]KPITableRow, error) {
	dims := k.Dimensions(fields)
	for _, d := range q.By {
		if !slices.Contains(dims, d) {
			return nil, ErrDimension{k.Name, d}
		}
	}
	if len(q.Months) > 0 && !slices.Contains(dims, DimMonth) {
		return nil, ErrDimension{k.Name, DimMonth}
	}
	var rows []KPITableRow
	var walk func(i int, f KPIFilter, group map[string]string) error
	walk = func(i int, f KPIFilter, group map[string]string) error {
		if i == len(q.By) {
			row, err := k.cell(ctx, reads, f, q.Months)
			if err != nil {
				return err
			}
			row.Group = group
			rows = append(rows, row)
			return nil
		}
		dim := q.By[i]
		var values []string
		switch {
		case dim == DimMonth:
			values = q.Months
		case dim == DimDistrict && f.District != "":
			values = []string{f.District}
		case dim == DimButler && f.Butler != "":
			values = []string{f.Butler}
		default:
			var err error
			if values, err = k.values(ctx, reads, dim, f, q.Months); err != nil {
				return err
			}
		}
		for _, v := range values {
			g := make(map[string]string, len(group)+1)
			for gk, gv := range group {
				g[gk] = gv
			}
			g[dim] = v
			next := f
			switch dim {
			case DimDistrict:
				next.District = v
			case DimButler:
				next.Butler = v
			case DimMonth:
				next.Month = v
			}
			if err := walk(i+1, next, g); err != nil {
				return err
			}
		}
		return nil
	}
	err := walk(0, KPIFilter{Project: q.Project, District: q.District, Butler: q.Butler}, map[string]string{})
	return rows, err
}

// cell computes one figure: f as it is, or summed over months when f has
// no month of its own.
func (k KPI) cell(ctx context.Context, reads KPIReads, f KPIFilter, months []string) (KPITableRow, error) {
	if f.Month != "" || len(months) == 0 {
		res, err := k.Compute(ctx, reads, f)
		return KPITableRow{Value: res.Value, Numerator: res.Numerator, Denominator: res.Denominator}, err
	}
	var row KPITableRow
	for _, m := range months {
		f.Month = m
		res, err := k.Compute(ctx, reads, f)
		if err != nil {
			return row, err
		}
		row.Numerator += res.Numerator
		row.Denominator += res.Denominator
	}
	row.Value = k.valueOf(row.Numerator, row.Denominator)
	return row, nil
}

// valueOf is Compute's value from a summed numerator and denominator.
func (k KPI) valueOf(num, den float64) *float64 {
	if k.Custom == nil && k.Kind == Count {
		return &num
	}
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}

// values finds the values a dimension takes among the KPI's records in
// scope (at most 50, the facet limit: a project has a few districts and
// butlers).
func (k KPI) values(ctx context.Context, reads KPIReads, dim string, f KPIFilter, months []string) ([]string, error) {
	field := k.groupField(dim)
	q := Query{Terms: map[string][]string{"project": {f.Project}}, Size: 1, Facets: []string{field}}
	if k.Custom == nil {
		for wf, wv := range k.Where {
			q.Terms[wf] = wv
		}
	}
	if f.District != "" && dim != DimDistrict {
		q.Terms["district"] = []string{f.District}
	}
	if f.Butler != "" && dim != DimButler {
		q.Terms[k.groupField(DimButler)] = []string{f.Butler}
	}
	if mf := k.groupField(DimMonth); mf != "" && slices.Contains(k.Dimensions(nil), DimMonth) {
		if f.Month != "" {
			q.Terms[mf] = []string{f.Month}
		} else if len(months) > 0 {
			q.Terms[mf] = months
		}
	}
	if k.Name == "fee-collection-rate" {
		q.Terms["kind"] = []string{"butler-month"}
	}
	res, err := reads.Search(ctx, k.Index, q)
	if err != nil {
		return nil, fmt.Errorf("kpi %s: %s values: %w", k.Name, dim, err)
	}
	var out []string
	for _, t := range res.Facets[field] {
		if t.Term != "" {
			out = append(out, t.Term)
		}
	}
	slices.Sort(out)
	return out, nil
}

// MonthsBetween lists the months from..to (YYYY-MM, both included).
func MonthsBetween(from, to string) ([]string, error) {
	f, err := time.Parse("2006-01", from)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse("2006-01", to)
	if err != nil {
		return nil, err
	}
	var out []string
	for m := f; !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out, nil
}
