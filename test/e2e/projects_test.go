package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// TestTwentyProjectsOnOneServer: one server holds twenty compounds; each
// project's staff see exactly their own records, lists, KPIs and audit
// feed, whatever the others hold (docs/scaling.md).
func TestTwentyProjectsOnOneServer(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	const projects, perProject = 20, 4
	start := time.Now()
	ids := map[string][]string{}
	for p := 0; p < projects; p++ {
		project := fmt.Sprintf("p%02d", p)
		tok := b.Token("butler", "b-001", project, "d1")
		// Each project holds a different number of complaints, so that a
		// figure leaking across projects shows.
		for i := 0; i < perProject+p%3; i++ {
			r := b.Must(http.StatusCreated, "POST", "/api/v1/complaints", tok, map[string]any{"unit": "3-2-501", "owner": "王秀英",
				"phone": "13812345678", "category": "漏水", "description": fmt.Sprintf("%s 第%d号投诉", project, i), "soothing": "已安抚"})
			ids[project] = append(ids[project], r.JSON["id"].(string))
		}
	}
	t.Logf("%d projects, %d complaints registered in %s", projects, len(ids)*perProject, time.Since(start).Round(time.Millisecond))
	for p := 0; p < projects; p++ {
		project := fmt.Sprintf("p%02d", p)
		want := len(ids[project])
		sup := b.Token("supervisor", "s-001", project, "")
		list := b.WaitFor("/api/v1/complaints?size=100", sup, func(m map[string]any) error {
			if n := int(m["total"].(float64)); n != want {
				return fmt.Errorf("%s lists %d complaints, want %d", project, n, want)
			}
			return nil
		})
		for _, it := range list["items"].([]any) {
			if doc := it.(map[string]any); doc["project"] != project {
				t.Fatalf("%s's list shows a complaint of %v", project, doc["project"])
			}
		}
		// Another project's record is absent, not forbidden.
		other := ids[fmt.Sprintf("p%02d", (p+1)%projects)][0]
		harness.Problem(t, b.Do("GET", "/api/v1/complaints/"+other, sup, nil), http.StatusNotFound, "not_found")
		// The audit feed holds the project's own events only.
		aud := b.Token("auditor", "a-001", project, "")
		b.WaitFor("/api/v1/audit/events?type=complaint.registered.v2&size=100", aud, func(m map[string]any) error {
			if n := int(m["total"].(float64)); n != want {
				return fmt.Errorf("%s's feed has %d registrations, want %d", project, n, want)
			}
			return nil
		})
	}
}
