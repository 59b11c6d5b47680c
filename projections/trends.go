package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// TrendPoint is the satisfaction of one group (a month, district, butler
// or category): how many return visits, their mean rating, and the ids.
type TrendPoint struct {
	Group   string   `json:"group"`
	Visits  int      `json:"visits"`
	Average float64  `json:"average"`
	Records []string `json:"records"`
}

// TrendGroups are the fields satisfaction can be grouped by, per read model.
var TrendGroups = map[string][]string{
	ComplaintsIndex: {"month", "district", "butler", "category"},
	WorkOrdersIndex: {"month", "district", "butler", "area"},
	// R-H6: the owners' ratings given on visits.
	VisitsIndex: {"month", "district", "butler", "visit_kind"},
}

// trendRated is the yes/no field that marks a rated record, per read
// model (default return_visited: a complaint's or repair's return visit).
var trendRated = map[string]string{VisitsIndex: "rated"}

// SatisfactionTrend groups the ratings (1–5) of a read model (return
// visits of complaints and repairs, owners' ratings on visits)
// by one field, over the records matching q (q's paging is ignored).
func SatisfactionTrend(ctx context.Context, reads interface {
	Search(ctx context.Context, index string, q Query) (Result, error)
}, index, by string, q Query) ([]TrendPoint, error) {
	if !slices.Contains(TrendGroups[index], by) {
		return nil, fmt.Errorf("cannot group %s by %q", index, by)
	}
	if q.Terms == nil {
		q.Terms = map[string][]string{}
	}
	rated := trendRated[index]
	if rated == "" {
		rated = "return_visited"
	}
	q.Terms[rated] = []string{"true"}
	q.Size, q.From, q.Sort, q.Facets = 1000, 0, []Sort{{Field: "id"}}, nil
	groups := map[string]*TrendPoint{}
	sums := map[string]float64{}
	for {
		page, err := reads.Search(ctx, index, q)
		if err != nil {
			return nil, err
		}
		for _, h := range page.Hits {
			var m map[string]any
			if err := json.Unmarshal(h.Source, &m); err != nil {
				return nil, err
			}
			g, _ := m[by].(string)
			sat, ok := m["satisfaction"].(float64)
			if !ok {
				continue
			}
			p := groups[g]
			if p == nil {
				p = &TrendPoint{Group: g, Records: []string{}}
				groups[g] = p
			}
			p.Visits++
			p.Records = append(p.Records, h.ID)
			sums[g] += sat
		}
		if len(page.Hits) < q.Size {
			break
		}
		q.After = page.Cursor
	}
	out := make([]TrendPoint, 0, len(groups))
	for g, p := range groups {
		p.Average = sums[g] / float64(p.Visits)
		slices.Sort(p.Records)
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b TrendPoint) int {
		switch {
		case a.Group < b.Group:
			return -1
		case a.Group > b.Group:
			return 1
		}
		return 0
	})
	return out, nil
}
