package e2e

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/test/harness"
)

// A read model whose index was built by another definition (an older
// release's fold or schema) is rebuilt when the server starts, while the
// old index answers; one built by the current definition is left alone.
func TestReadModelOfAnotherDefinitionIsRebuiltAtStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := harness.Start(t, harness.Options{})
	tok := b.Token("butler", "b-001", "p1", "d1")
	id := registerComplaint(t, b, tok, "楼上卫生间漏水，天花板渗水")
	b.WaitFor("/api/v1/complaints/"+id, tok, func(map[string]any) error { return nil })
	if err := b.App.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// As an older release would have left it.
	idx, err := blevestore.Open(filepath.Join(b.Dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	if err := projections.RecordDefinition(ctx, idx, projections.ComplaintsIndex, "r0-older"); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}

	b2 := harness.Start(t, harness.Options{Dir: b.Dir})
	b2.Must(http.StatusOK, "GET", "/api/v1/complaints/"+id, tok, nil)
	want := projections.Definition(projections.Complaints)
	b2.Eventually(30*time.Second, func() error {
		got, found, err := projections.RecordedDefinition(ctx, b2.App.Search(), projections.ComplaintsIndex)
		if err != nil || !found || got != want {
			return fmt.Errorf("complaints built by %q (found %v, %v), want %q after the rebuild", got, found, err, want)
		}
		return nil
	})
	r := b2.Must(http.StatusOK, "GET", "/api/v1/complaints?q=渗水", tok, nil)
	if total, _ := r.JSON["total"].(float64); total != 1 {
		t.Errorf("after the rebuild a search finds %v complaints, want 1: %s", r.JSON["total"], r.Raw)
	}
	// The others were built by the current definitions and stay as they are.
	wo, found, err := projections.RecordedDefinition(ctx, b2.App.Search(), projections.WorkOrdersIndex)
	if err != nil || !found || wo != projections.Definition(projections.WorkOrders) {
		t.Errorf("work orders: definition %q (found %v, %v), want the current one recorded", wo, found, err)
	}
}
