// Package bench holds Go benchmarks of Butler's inner loops: a command
// through the handlers onto the embedded store, the replay of $all through
// every projection, and a supervisor's search. `butler bench` measures the
// whole program; these are for profiling one loop:
//
//	go test -run '^$' -bench Rebuild -cpuprofile cpu.out ./test/bench/
package bench

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/cmd/butler/bench"
	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

const dataEvents = 20_000

var (
	dataOnce sync.Once
	dataDir  string
	dataErr  error
)

// dataSet writes dataEvents events through the handlers once per run.
func dataSet(b *testing.B) *embedded.Store {
	b.Helper()
	dataOnce.Do(func() {
		dataDir, dataErr = tempDir()
		if dataErr != nil {
			return
		}
		var s *embedded.Store
		if s, dataErr = embedded.Open(filepath.Join(dataDir, "events")); dataErr != nil {
			return
		}
		defer s.Close()
		dataErr = bench.Generate(context.Background(), s, dataEvents, func(int) {})
	})
	if dataErr != nil {
		b.Fatal(dataErr)
	}
	s, err := embedded.Open(filepath.Join(dataDir, "events"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkRegisterComplaint: one command through its handler onto the
// embedded store (durable), from 64 goroutines.
func BenchmarkRegisterComplaint(b *testing.B) {
	s, err := embedded.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := demo.NewHandlers(s, app.WallClock{}, commands.NewUUIDv7, bench.Keys)
	m := commands.Meta{Principal: commands.Principal{StaffID: "b-001", Role: commands.RoleButler, Project: "p1", District: "d1"}}
	cmd := commands.RegisterComplaint{Unit: "3-2-501", Owner: "王秀英", Phone: "13812345678", Category: "漏水",
		Description: "业主反映楼上卫生间漏水，天花板渗水严重", Soothing: "已向业主致歉并安抚情绪"}
	b.SetParallelism(32) // 64 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.Complaint.Register.Handle(context.Background(), m, cmd); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}

// BenchmarkRebuild replays the data set through every projection into a
// fresh index; events/s is the figure.
func BenchmarkRebuild(b *testing.B) {
	benchReplay(b, dataSet(b), app.Projections(bench.Keys))
}

// benchReplay replays $all from s into ps, each time into a fresh index,
// and reports the events replayed a second.
func benchReplay(b *testing.B, s *embedded.Store, ps []projections.Projection) {
	ctx := context.Background()
	var n int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		idx, err := blevestore.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if n, err = bench.Replay(ctx, s, idx, ps, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		idx.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRebuildEach replays $all into each read model alone, one
// sub-benchmark per read model: which ones a rebuild's time goes to
// (events/s of the whole log, so the slow read models show low rates).
//
//	go test -run '^$' -bench 'RebuildEach/(audit-events|workorders)' -cpuprofile cpu.out ./test/bench/
func BenchmarkRebuildEach(b *testing.B) {
	s := dataSet(b)
	for _, p := range app.Projections(bench.Keys) {
		b.Run(p.Name(), func(b *testing.B) { benchReplay(b, s, []projections.Projection{p}) })
	}
}

// BenchmarkSearch: full text + filters + a date range, newest first.
func BenchmarkSearch(b *testing.B) {
	s := dataSet(b)
	ctx := context.Background()
	idx, err := blevestore.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	if _, err := bench.Replay(ctx, s, idx, app.Projections(bench.Keys), nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	lat, _, err := bench.Search(ctx, idx, b.N)
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	b.ReportMetric(float64(total.Microseconds())/float64(len(lat)), "µs/query")
}

// BenchmarkRebuildBatch compares replay batch sizes.
func BenchmarkRebuildBatch(b *testing.B) {
	s := dataSet(b)
	ctx := context.Background()
	for _, size := range []int{500, 2000, 5000, 20000} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			old := bench.ReplayBatch
			bench.ReplayBatch = size
			defer func() { bench.ReplayBatch = old }()
			var n int
			for i := 0; i < b.N; i++ {
				idx, err := blevestore.Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if n, err = bench.Replay(ctx, s, idx, app.Projections(bench.Keys), nil); err != nil {
					b.Fatal(err)
				}
				idx.Close()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkRebuildWorkers compares how many runners apply a batch at once.
func BenchmarkRebuildWorkers(b *testing.B) {
	s := dataSet(b)
	ctx := context.Background()
	oldBatch := bench.ReplayBatch
	bench.ReplayBatch = 4000
	defer func() { bench.ReplayBatch = oldBatch }()
	for _, w := range []int{1, 2, 8, 24} {
		b.Run(strconv.Itoa(w), func(b *testing.B) {
			old := bench.ReplayWorkers
			bench.ReplayWorkers = w
			defer func() { bench.ReplayWorkers = old }()
			var n int
			for i := 0; i < b.N; i++ {
				idx, err := blevestore.Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if n, err = bench.Replay(ctx, s, idx, app.Projections(bench.Keys), nil); err != nil {
					b.Fatal(err)
				}
				idx.Close()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
