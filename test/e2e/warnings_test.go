package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// R-C4: a group-complaint risk lands in the project manager's inbox, open
// until they acknowledge it; the acknowledgement is recorded once, with
// who and when, and the inbox's KPIs follow.
func TestWarningsInbox(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	sup := b.Token("supervisor", "s-001", "p1", "")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	otherPM := b.Token("project_manager", "pm-101", "p2", "")
	analyst := b.Token("analyst", "a-001", "p1", "")

	id := registerComplaint(t, b, butler, "同楼栋多户反映地下室渗水")
	rev := b.Must(200, "POST", "/api/v1/complaints/"+id+"/flag-risk", butler, map[string]any{"reason": "多户业主联名投诉"}).JSON["revision"]
	w := fmt.Sprintf("complaint-%s.%v", id, rev)
	b.WaitFor("/api/v1/warnings?status=open", pm, func(m map[string]any) error {
		items, _ := m["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != w || items[0].(map[string]any)["rule"] != "R-C4" {
			return fmt.Errorf("open warnings %v, want %s", m["items"], w)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/warnings/"+w+"/acknowledge", sup, map[string]any{}), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/warnings/"+w+"/acknowledge", otherPM, map[string]any{}), 404, "not_found")
	harness.Problem(t, b.Do("POST", "/api/v1/warnings/complaint-"+id+"/acknowledge", pm, map[string]any{}), 400, "invalid_id")
	harness.Problem(t, b.Do("POST", "/api/v1/warnings/complaint-"+id+".0/acknowledge", pm, map[string]any{}), 404, "not_found")

	b.Clock.Advance(90 * time.Minute)
	b.Must(200, "POST", "/api/v1/warnings/"+w+"/acknowledge", pm, map[string]any{"note": "明日约谈业主代表"})
	harness.Problem(t, b.Do("POST", "/api/v1/warnings/"+w+"/acknowledge", pm, map[string]any{}), 422, "already_acknowledged")
	b.WaitFor("/api/v1/warnings/"+w, pm, func(m map[string]any) error {
		if m["status"] != "acknowledged" || m["acknowledged_by"] != "pm-001" || m["hours_to_acknowledge"] != 1.5 {
			return fmt.Errorf("warning %v", m)
		}
		return nil
	})
	b.WaitFor("/api/v1/kpis/warning-time-to-acknowledge?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != 1.5 {
			return fmt.Errorf("time to acknowledge %v", m["value"])
		}
		return nil
	})
	if open := b.Must(200, "GET", "/api/v1/warnings?status=open", pm, nil).JSON["total"]; open != float64(0) {
		t.Fatalf("open warnings after the acknowledgement: %v", open)
	}
}
