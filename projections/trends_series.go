package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Trends over months, broken down by several dimensions at once: the
// owners' satisfaction over every rated interaction, and any KPI (its
// table, one series per group). Values are rounded for display (Value,
// two decimals); Exact keeps the figure as computed.

// MetricPoint is one month of a series.
type MetricPoint struct {
	Month string   `json:"month"`
	Value *float64 `json:"value"`
	Exact *float64 `json:"exact"`
	// Count is how many ratings (satisfaction) or records (a KPI's
	// denominator) the value stands on.
	Count int `json:"count"`
	// Numerator and Denominator: a KPI's figures.
	Numerator   *float64 `json:"numerator,omitempty"`
	Denominator *float64 `json:"denominator,omitempty"`
	// Satisfied and Responses (satisfaction): answers rated satisfied (4
	// or 5 of 5, or ticked satisfied in an activity survey) of all answers,
	// and their share, exact.
	Satisfied      *int     `json:"satisfied,omitempty"`
	Responses      *int     `json:"responses,omitempty"`
	SatisfiedShare *float64 `json:"satisfied_share,omitempty"`
}

// MetricSeries is one group's points, oldest month first.
type MetricSeries struct {
	Group  map[string]string `json:"group"`
	Points []MetricPoint     `json:"points"`
}

// Round2 rounds for display.
func Round2(v float64) float64 { return math.Round(v*100) / 100 }

func rounded(v *float64) (*float64, *float64) {
	if v == nil {
		return nil, nil
	}
	r, e := Round2(*v), *v
	return &r, &e
}

// SatisfactionSource is one kind of rated interaction.
type SatisfactionSource struct {
	Name  string
	Title string
	Index string
	// Terms select the rated records.
	Terms map[string][]string
	// Category is the field grouped as "category".
	Category string
	// Rated reads a record: the ratings' sum and count (1–5), the answers
	// rated satisfied and all answers.
	Rated func(m map[string]any) (sum float64, n, satisfied, responses int)
}

// rating reads a 1–5 "satisfaction" number of a record, if it has one.
func rating(m map[string]any) (float64, int, int, int) {
	v, ok := m["satisfaction"].(float64)
	if !ok || v <= 0 {
		return 0, 0, 0, 0
	}
	s := 0
	if v >= 4 {
		s = 1
	}
	return v, 1, s, 1
}

// SatisfactionSources are the rated interactions: return visits of
// complaints and work orders, visits that carry a rating (a field
// "satisfaction" on the visit record, when the visit module records one),
// and activity surveys (answers ticked satisfied, no 1–5 scale).
var SatisfactionSources = []SatisfactionSource{
	{Name: "complaints", Title: "投诉回访", Index: ComplaintsIndex, Terms: map[string][]string{"return_visited": {"true"}},
		Category: "category", Rated: rating},
	{Name: "work-orders", Title: "报修回访", Index: WorkOrdersIndex, Terms: map[string][]string{"return_visited": {"true"}},
		Category: "area", Rated: rating},
	{Name: "visits", Title: "走访", Index: VisitsIndex, Terms: map[string][]string{"kind": {"visit"}},
		Category: "visit_kind", Rated: rating},
	{Name: "activities", Title: "活动满意度调查", Index: ActivitiesIndex, Terms: map[string][]string{"status": {"held", "summarised"}},
		Category: "category",
		Rated: func(m map[string]any) (float64, int, int, int) {
			r, _ := m["responses"].(float64)
			s, _ := m["satisfied"].(float64)
			return 0, 0, int(s), int(r)
		}},
}

// SatisfactionSourceNames lists the sources' names.
func SatisfactionSourceNames() []string {
	var out []string
	for _, s := range SatisfactionSources {
		out = append(out, s.Name)
	}
	return out
}

// TrendQuery asks for a trend: the dimensions besides the month, the scope
// and filters, and the months (YYYY-MM, oldest first).
type TrendQuery struct {
	By       []string
	Project  string
	District string
	Butler   string
	Category string
	Months   []string
	// Sources narrow satisfaction to some rated interactions (empty: all).
	Sources []string
}

type satAcc struct {
	sum                     float64
	n, satisfied, responses int
}

// SatisfactionSeries is the mean rating (1–5) per month and group over
// the sources asked. With activity surveys alone (no 1–5 scale) the value
// is the share of answers satisfied instead; the scale says which.
func SatisfactionSeries(ctx context.Context, reads KPIReads, q TrendQuery) (series []MetricSeries, scale string, err error) {
	sources := SatisfactionSources
	if len(q.Sources) > 0 {
		sources = nil
		for _, s := range SatisfactionSources {
			if slices.Contains(q.Sources, s.Name) {
				sources = append(sources, s)
			}
		}
	}
	scale = "1-5"
	if len(sources) == 1 && sources[0].Name == "activities" {
		scale = "share"
	}
	acc := map[string]map[string]*satAcc{} // group key → month → sums
	groups := map[string]map[string]string{}
	for _, src := range sources {
		qq := Query{Terms: map[string][]string{"project": {q.Project}}, Size: 1000, Sort: []Sort{{Field: "id"}}}
		for f, v := range src.Terms {
			qq.Terms[f] = v
		}
		if q.District != "" {
			qq.Terms["district"] = []string{q.District}
		}
		if q.Butler != "" {
			qq.Terms["butler"] = []string{q.Butler}
		}
		if q.Category != "" {
			qq.Terms[src.Category] = []string{q.Category}
		}
		if len(q.Months) > 0 {
			qq.Terms["month"] = q.Months
		}
		for {
			page, err := reads.Search(ctx, src.Index, qq)
			if err != nil {
				return nil, scale, fmt.Errorf("satisfaction trend: %s: %w", src.Name, err)
			}
			for _, h := range page.Hits {
				var m map[string]any
				if err := json.Unmarshal(h.Source, &m); err != nil {
					return nil, scale, err
				}
				sum, n, sat, resp := src.Rated(m)
				if resp == 0 {
					continue
				}
				month, _ := m["month"].(string)
				g := map[string]string{}
				var key []string
				for _, d := range q.By {
					field := d
					if d == "category" {
						field = src.Category
					}
					v, _ := m[field].(string)
					g[d] = v
					key = append(key, d+"="+v)
				}
				k := strings.Join(key, "\x00")
				if acc[k] == nil {
					acc[k], groups[k] = map[string]*satAcc{}, g
				}
				a := acc[k][month]
				if a == nil {
					a = &satAcc{}
					acc[k][month] = a
				}
				a.sum += sum
				a.n += n
				a.satisfied += sat
				a.responses += resp
			}
			if len(page.Hits) < qq.Size {
				break
			}
			qq.After = page.Cursor
		}
	}
	keys := make([]string, 0, len(acc))
	for k := range acc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := MetricSeries{Group: groups[k], Points: []MetricPoint{}}
		months := q.Months
		if len(months) == 0 {
			for m := range acc[k] {
				months = append(months, m)
			}
			slices.Sort(months)
		}
		for _, m := range months {
			a := acc[k][m]
			if a == nil {
				a = &satAcc{}
			}
			p := MetricPoint{Month: m, Count: a.n}
			sat, resp := a.satisfied, a.responses
			p.Satisfied, p.Responses = &sat, &resp
			var share *float64
			if a.responses > 0 {
				v := float64(a.satisfied) / float64(a.responses)
				share = &v
				p.SatisfiedShare = share
			}
			var mean *float64
			if a.n > 0 {
				v := a.sum / float64(a.n)
				mean = &v
			}
			if scale == "share" {
				mean, p.Count = share, a.responses
			}
			p.Value, p.Exact = rounded(mean)
			s.Points = append(s.Points, p)
		}
		series = append(series, s)
	}
	return series, scale, nil
}

// KPISeries reshapes a KPI table with the month dimension into series:
// one per group of the other dimensions, a point per month.
func KPISeries(by []string, rows []KPITableRow) []MetricSeries {
	var out []MetricSeries
	index := map[string]int{}
	for _, r := range rows {
		g := map[string]string{}
		var key []string
		for _, d := range by {
			if d == DimMonth {
				continue
			}
			g[d] = r.Group[d]
			key = append(key, d+"="+r.Group[d])
		}
		k := strings.Join(key, "\x00")
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, MetricSeries{Group: g, Points: []MetricPoint{}})
		}
		num, den := r.Numerator, r.Denominator
		p := MetricPoint{Month: r.Group[DimMonth], Count: int(den), Numerator: &num, Denominator: &den}
		p.Value, p.Exact = rounded(r.Value)
		out[i].Points = append(out[i].Points, p)
	}
	return out
}
