package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/test/harness"
)

// TestRebuildWhileCommandsArriveLosesNothing rebuilds the complaints read
// model while writers keep registering complaints and readers keep
// searching: no search fails during the switch, and afterwards the rebuilt
// index equals a fresh replay of the log.
func TestRebuildWhileCommandsArriveLosesNothing(t *testing.T) {
	t.Parallel()
	forEachEngine(t, rebuildUnderLoad)
}

func rebuildUnderLoad(t *testing.T, b *harness.Butler) {
	t.Helper()
	butler := b.Token("butler", "b-001", "p1", "d1")
	quality := b.Token("quality", "q-001", "p1", "")
	for i := 0; i < 50; i++ {
		registerComplaint(t, b, butler, fmt.Sprintf("单元门禁失灵 第%d号", i))
	}
	var acked atomic.Int64
	acked.Store(50)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // commands keep coming, at a few hundred a second
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			time.Sleep(2 * time.Millisecond)
			if r := b.Do("POST", "/api/v1/complaints", butler, map[string]any{"unit": "2-1-101", "owner": "赵强", "phone": "13700001111",
				"category": "门禁", "description": fmt.Sprintf("门禁刷卡无反应 %d", i), "soothing": "已安抚"}); r.Status == 201 {
				acked.Add(1)
			}
		}
	}()
	var searchFailures atomic.Int64
	var searches atomic.Int64
	wg.Add(1)
	go func() { // readers keep searching
		defer wg.Done()
		for !stop.Load() {
			r := b.Do("GET", "/api/v1/complaints?q=门禁&size=5", butler, nil)
			searches.Add(1)
			if r.Status != 200 {
				searchFailures.Add(1)
				t.Errorf("search during rebuild: %d %s", r.Status, r.Raw)
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	harness.Problem(t, b.Do("POST", "/api/v1/admin/projections/complaints/rebuild", butler, nil), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/admin/projections/nonsense/rebuild", quality, nil), 404, "unknown_projection")
	r := b.Must(200, "POST", "/api/v1/admin/projections/complaints/rebuild", quality, nil)
	if r.JSON["events"].(float64) < 50 {
		t.Fatalf("rebuild replayed too little: %s", r.Raw)
	}
	time.Sleep(200 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if searches.Load() == 0 || searchFailures.Load() > 0 {
		t.Fatalf("%d of %d searches failed during the rebuild", searchFailures.Load(), searches.Load())
	}

	// Every acknowledged complaint is in the rebuilt read model.
	want := acked.Load()
	b.Eventually(60*time.Second, func() error {
		r := b.Do("GET", "/api/v1/complaints?size=1", butler, nil)
		if r.Status != 200 || int64(r.JSON["total"].(float64)) != want {
			return fmt.Errorf("total %v, want %d", r.JSON["total"], want)
		}
		return nil
	})

	// And it equals a fresh replay of the log.
	ctx := context.Background()
	fresh, err := blevestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	runner := projections.NewRunner(projections.Complaints, fresh, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := runner.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Rebuild(ctx, b.App.Events(), fresh); err != nil {
		t.Fatal(err)
	}
	compareIndexes(t, b.App, fresh, projections.ComplaintsIndex, int(want))
}

// compareIndexes checks that every document of the live read model equals
// the one a fresh replay produced.
func compareIndexes(t *testing.T, a *app.App, fresh projections.SearchStore, index string, want int) {
	t.Helper()
	ctx := context.Background()
	q := projections.Query{Terms: map[string][]string{"project": {"p1"}}, Size: 500, Sort: []projections.Sort{{Field: "id"}}}
	seen := 0
	for {
		page, err := fresh.Search(ctx, index, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range page.Hits {
			live, err := a.Search().Get(ctx, index, h.ID)
			if err != nil {
				t.Fatalf("document %s missing from the live index: %v", h.ID, err)
			}
			if live.Version != h.Version || !jsonEqual(live.Source, h.Source) {
				t.Fatalf("document %s differs:\nlive  v%d %s\nfresh v%d %s", h.ID, live.Version, live.Source, h.Version, h.Source)
			}
			seen++
		}
		if len(page.Hits) < q.Size {
			break
		}
		q.After = page.Cursor
	}
	if seen != want {
		t.Fatalf("fresh replay has %d documents, want %d", seen, want)
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
