package fastroute_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/fee/fastroute"
)

// R-F6: an obstacle within the property's duty goes on the fast route to
// its department, due in 3 days, and is tracked to resolution.
func TestFastRoute(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	spec := fastroute.Spec{Project: "p1", District: "d1", Unit: "1-101", BillID: "b1", Department: "engineering", Obstacle: "卫生间漏水未修复"}
	bad := spec
	bad.Department = "developer"
	if _, err := fastroute.Raise("o1", bad, now); !errors.Is(err, fastroute.ErrRaiseIncomplete) {
		t.Fatalf("not the property's duty: %v", err)
	}
	o, err := fastroute.Raise("o1", spec, now)
	if err != nil {
		t.Fatal(err)
	}
	if r := o.Changes()[0].(fastroute.Raised); !r.DueBy.Equal(now.Add(3 * 24 * time.Hour)) {
		t.Fatalf("raised = %+v", r)
	}
	if err := o.Resolve(" ", now); !errors.Is(err, fastroute.ErrResolutionMissing) {
		t.Fatalf("empty resolution: %v", err)
	}
	if err := o.Resolve("已更换防水层", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	o2, _ := fastroute.FromHistory(o.Changes())
	if err := o2.Resolve("again", now); !errors.Is(err, fastroute.ErrAlreadyResolved) {
		t.Fatalf("twice: %v", err)
	}
}
