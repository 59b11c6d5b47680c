package blevestore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

const benchDocs = 100_000

var (
	benchOnce  sync.Once
	benchStore *blevestore.Store
	benchDir   string
	benchErr   error
	benchBase  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		_ = benchStore.Close()
	}
	if benchDir != "" {
		_ = os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

var (
	benchPlaces = []string{"卫生间", "厨房", "阳台", "客厅", "地下车库", "楼道", "电梯间", "屋顶"}
	benchIssues = []string{"漏水", "渗水", "停电", "噪音扰民", "门禁失灵", "下水道堵塞", "墙面开裂", "电梯故障"}
	benchExtra  = []string{"业主多次反映", "情况严重", "请尽快处理", "影响正常生活", "已经持续一周", "邻居也有同样问题"}
	benchStatus = []string{"open", "assigned", "in_progress", "resolved", "closed"}
)

// benchIndex builds, once per test binary, an index of 100k complaint-like
// documents written in batches as a projection would.
func benchIndex(b *testing.B) *blevestore.Store {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "blevestore-bench-")
		if benchErr != nil {
			return
		}
		benchStore, benchErr = blevestore.Open(benchDir)
		if benchErr != nil {
			return
		}
		ctx := context.Background()
		schema := projections.Schema{Name: "complaints", Fields: map[string]projections.FieldKind{
			"title": projections.Text, "description": projections.Text, "status": projections.Keyword,
			"district": projections.Keyword, "createdAt": projections.Date, "floor": projections.Number,
		}}
		if benchErr = benchStore.EnsureIndex(ctx, schema); benchErr != nil {
			return
		}
		rng := rand.New(rand.NewPCG(1, 2))
		start := time.Now()
		const batch = 1000
		for i := 0; i < benchDocs; i += batch {
			docs := make([]projections.Document, 0, batch)
			for j := i; j < i+batch; j++ {
				place, issue := benchPlaces[rng.IntN(len(benchPlaces))], benchIssues[rng.IntN(len(benchIssues))]
				src, _ := json.Marshal(map[string]any{
					"title":       place + issue,
					"description": fmt.Sprintf("%d号楼%d单元%s%s，%s，%s", rng.IntN(30)+1, rng.IntN(6)+1, place, issue, benchExtra[rng.IntN(len(benchExtra))], benchExtra[rng.IntN(len(benchExtra))]),
					"status":      benchStatus[rng.IntN(len(benchStatus))],
					"district":    fmt.Sprintf("d%d", rng.IntN(20)),
					"createdAt":   benchBase.Add(time.Duration(rng.IntN(365*24)) * time.Hour).Format(time.RFC3339),
					"floor":       rng.IntN(33) + 1,
				})
				docs = append(docs, projections.Document{ID: fmt.Sprintf("c%06d", j), Version: 1, Source: src})
			}
			if benchErr = benchStore.Write(ctx, "complaints", docs, 0); benchErr != nil {
				return
			}
		}
		b.Logf("indexed %d documents in %s", benchDocs, time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

// BenchmarkSearch: full text + keyword filter + date range + facet over
// 100k documents, reporting latency percentiles. Building the index takes
// a while, which is why it only runs with -bench.
func BenchmarkSearch(b *testing.B) {
	s := benchIndex(b)
	ctx := context.Background()
	words := []string{"漏水", "渗水 卫生", "电梯", "堵塞", "严重"}
	lat := make([]time.Duration, 0, b.N)
	total := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		from := benchBase.AddDate(0, i%9, 0)
		q := projections.Query{
			Text:   words[i%len(words)],
			Terms:  map[string][]string{"status": {"open", "assigned"}},
			Ranges: []projections.Range{projections.TimeRange("createdAt", from, from.AddDate(0, 3, 0))},
			Sort:   []projections.Sort{{Field: "createdAt", Desc: true}},
			Facets: []string{"district"},
			Size:   20,
		}
		t0 := time.Now()
		r, err := s.Search(ctx, "complaints", q)
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		total += r.Total
	}
	b.StopTimer()
	if total == 0 {
		b.Fatal("benchmark queries matched nothing")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(total)/float64(len(lat)), "hits/query")
}
