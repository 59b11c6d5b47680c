package projections

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
)

// VisitReportRow is one butler's month in one district: the monthly visit
// report (走访月报, R-H6). Every figure names its records.
type VisitReportRow struct {
	Month    string `json:"month"`
	District string `json:"district"`
	Butler   string `json:"butler"`
	// Planned: households in the butler's plans for the month; Plans their ids.
	Planned int      `json:"planned"`
	Plans   []string `json:"plans"`
	// DistrictHouseholds is the count the plans were checked against (R-H1).
	DistrictHouseholds int `json:"district_households"`
	// Made: visits the butler made that month, of any kind; PlannedVisited
	// the planned households among them (each once).
	Made           int      `json:"made"`
	Visits         []string `json:"visits"`
	PlannedVisited int      `json:"planned_visited"`
	// CoveragePercent is PlannedVisited of DistrictHouseholds, in percent
	// (R-H1's 8%); nil without a plan.
	CoveragePercent *float64 `json:"coverage_percent"`
	// Opinions raised on those visits, how many were rectified and fed
	// back to the owner (R-H2), and their records (visit-id#n).
	Opinions       int      `json:"opinions"`
	Rectified      int      `json:"rectified"`
	FedBack        int      `json:"fed_back"`
	OpinionRecords []string `json:"opinion_records"`
	// Rated: visits with the owner's rating; AverageSatisfaction their
	// mean, 1–5 (nil when none was rated).
	Rated               int      `json:"rated"`
	AverageSatisfaction *float64 `json:"average_satisfaction"`
}

// VisitReport is the monthly visit report, a row per district and butler
// (the visitor), over the plans and visits matching q's terms (project,
// and any of district, butler and month; q's paging is ignored).
func VisitReport(ctx context.Context, reads KPIReads, q Query) ([]VisitReportRow, error) {
	rows := map[[2]string]*VisitReportRow{}
	row := func(district, butler, month string) *VisitReportRow {
		k := [2]string{district, butler}
		r := rows[k]
		if r == nil {
			r = &VisitReportRow{Month: month, District: district, Butler: butler, Plans: []string{}, Visits: []string{}, OpinionRecords: []string{}}
			rows[k] = r
		}
		return r
	}
	planned := map[[2]string]map[string]bool{} // district, butler → planned households
	visited := map[[2]string]map[string]bool{}
	sums := map[[2]string]float64{}

	terms := func(extra map[string][]string) Query {
		out := Query{Terms: map[string][]string{}, Size: 1000, Sort: []Sort{{Field: "id"}}}
		for f, v := range q.Terms {
			out.Terms[f] = v
		}
		for f, v := range extra {
			out.Terms[f] = v
		}
		return out
	}
	err := searchEach(ctx, reads, VisitPlansIndex, terms(nil), func(id string, src json.RawMessage) error {
		var p VisitPlan
		if err := json.Unmarshal(src, &p); err != nil {
			return err
		}
		r := row(p.District, p.Butler, p.Month)
		r.Plans = append(r.Plans, id)
		r.Planned += p.Planned
		r.DistrictHouseholds = max(r.DistrictHouseholds, p.DistrictHouseholds)
		k := [2]string{p.District, p.Butler}
		if planned[k] == nil {
			planned[k] = map[string]bool{}
		}
		for _, h := range p.Households {
			planned[k][h] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = searchEach(ctx, reads, VisitsIndex, terms(map[string][]string{"kind": {"visit", "opinion"}}), func(id string, src json.RawMessage) error {
		var v VisitRecord
		if err := json.Unmarshal(src, &v); err != nil {
			return err
		}
		r := row(v.District, v.Butler, v.Month)
		k := [2]string{v.District, v.Butler}
		switch v.Kind {
		case "visit":
			r.Made++
			r.Visits = append(r.Visits, id)
			if visited[k] == nil {
				visited[k] = map[string]bool{}
			}
			visited[k][v.Household] = true
			if v.Rated {
				r.Rated++
				sums[k] += float64(v.Satisfaction)
			}
		case "opinion":
			r.Opinions++
			r.OpinionRecords = append(r.OpinionRecords, id)
			if v.Rectified {
				r.Rectified++
			}
			if v.FedBack {
				r.FedBack++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]VisitReportRow, 0, len(rows))
	for k, r := range rows {
		for h := range visited[k] {
			if planned[k][h] {
				r.PlannedVisited++
			}
		}
		if r.DistrictHouseholds > 0 {
			c := float64(r.PlannedVisited) * 100 / float64(r.DistrictHouseholds)
			r.CoveragePercent = &c
		}
		if r.Rated > 0 {
			a := sums[k] / float64(r.Rated)
			r.AverageSatisfaction = &a
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b VisitReportRow) int {
		return cmp.Or(cmp.Compare(a.District, b.District), cmp.Compare(a.Butler, b.Butler))
	})
	return out, nil
}

// searchEach calls fn for every record of index matching q, page by page.
func searchEach(ctx context.Context, reads KPIReads, index string, q Query, fn func(id string, src json.RawMessage) error) error {
	for {
		page, err := reads.Search(ctx, index, q)
		if err != nil {
			return err
		}
		for _, h := range page.Hits {
			if err := fn(h.ID, h.Source); err != nil {
				return err
			}
		}
		if len(page.Hits) < q.Size {
			return nil
		}
		q.After = page.Cursor
	}
}
