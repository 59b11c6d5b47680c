package bench

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/butler-pm/butler/projections"
)

// Search times n queries as a supervisor's list page sends them: Chinese
// full text, a status (or area) filter, a 60-day registration window,
// newest first, 20 hits. It returns the latencies and the number of
// documents searched.
func Search(ctx context.Context, s projections.SearchStore, n int) ([]time.Duration, int, error) {
	docs := 0
	for _, index := range []string{projections.ComplaintsIndex, projections.WorkOrdersIndex} {
		res, err := s.Search(ctx, index, projections.Query{Size: 1})
		if err != nil {
			return nil, 0, err
		}
		docs += res.Total
	}
	// The period the data covers: from the oldest to the newest registration.
	oldest, err := s.Search(ctx, projections.WorkOrdersIndex, projections.Query{Size: 1, Sort: []projections.Sort{{Field: "registered_at"}}})
	if err != nil {
		return nil, 0, err
	}
	from := time.Now().AddDate(-1, 0, 0)
	if len(oldest.Hits) > 0 {
		var d struct {
			RegisteredAt time.Time `json:"registered_at"`
		}
		if err := jsonUnmarshal(oldest.Hits[0].Source, &d); err == nil && !d.RegisteredAt.IsZero() {
			from = d.RegisteredAt
		}
	}
	span := time.Since(from)
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		lo := from.Add(time.Duration(rng.Int64N(int64(max(span-60*24*time.Hour, time.Hour)))))
		q := projections.Query{
			Text:   words[rng.IntN(len(words))],
			Ranges: []projections.Range{projections.TimeRange("registered_at", lo, lo.Add(60*24*time.Hour))},
			Sort:   []projections.Sort{{Field: "registered_at", Desc: true}},
			Size:   20,
		}
		index := projections.ComplaintsIndex
		if i%2 == 0 {
			q.Terms = map[string][]string{"status": {"closed", "resolved"}}
		} else {
			index = projections.WorkOrdersIndex
			q.Terms = map[string][]string{"status": {"closed", "completed"}, "area": {"unit"}}
		}
		start := time.Now()
		if _, err := s.Search(ctx, index, q); err != nil {
			return nil, 0, err
		}
		lat = append(lat, time.Since(start))
	}
	return lat, docs, nil
}
