package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/butler-pm/butler/domain/staff/training"
	"github.com/butler-pm/butler/test/harness"
)

// R-S3 over HTTP: the month's training plan, approved by quality, its
// sessions held against it (attendance on each staff record), and the
// training-plan-completion KPI.
func TestTrainingPlanJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	quality := b.Token("quality", "q-001", "p1", "")
	butler := b.Token("butler", "b-001", "p1", "d1")
	today := b.Clock.Now().In(training.Zone)
	day, month := today.Format("2006-01-02"), today.Format("2006-01")

	plan := map[string]any{"period": month, "sessions": []map[string]any{
		{"topic": "BI 服务礼仪", "type": "simulation", "planned_on": day, "audience": []string{"butler"}},
		{"topic": "消防器材使用", "type": "practical", "planned_on": day, "audience": []string{"butler", "engineer"}},
	}}
	harness.Problem(t, b.Do("POST", "/api/v1/training-plans", butler, plan), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/training-plans", sup, map[string]any{"period": month, "sessions": []map[string]any{
		{"topic": "x", "type": "lecture", "planned_on": day, "audience": []string{"butler"}}}}), 422, "session_incomplete")
	id := b.Must(http.StatusCreated, "POST", "/api/v1/training-plans", sup, plan).JSON["id"].(string)
	harness.Problem(t, b.Do("POST", "/api/v1/training-plans", sup, plan), 409, "plan_exists")
	path := "/api/v1/training-plans/" + id

	harness.Problem(t, b.Do("POST", path+"/sessions", sup, map[string]any{"session_id": "1", "held_on": day, "attendees": []string{"e-001"}}), 422, "plan_not_approved")
	harness.Problem(t, b.Do("POST", path+"/approve", butler, nil), 403, "forbidden_role")
	b.Must(http.StatusOK, "POST", path+"/approve", quality, nil)
	b.Must(http.StatusOK, "POST", path+"/sessions", sup, map[string]any{"session_id": "1", "held_on": day, "attendees": []string{"e-001"}})
	harness.Problem(t, b.Do("POST", path+"/sessions", sup, map[string]any{"session_id": "1", "held_on": day, "attendees": []string{"e-001"}}), 422, "session_already_held")
	// Attendance stays on the staff record, naming the plan's session.
	b.Must(http.StatusCreated, "POST", "/api/v1/staff", sup, map[string]any{"staff_id": "e-001", "name": "张工", "role": "engineer"})
	b.Must(http.StatusOK, "POST", "/api/v1/staff/e-001/training", sup, map[string]any{"session": id + "#1", "topic": "BI 服务礼仪"})

	b.WaitFor(path, sup, func(m map[string]any) error {
		sessions, _ := m["sessions"].([]any)
		if m["status"] != "approved" || m["approved_by"] != "q-001" || m["held"] != 1.0 || len(sessions) != 2 ||
			sessions[0].(map[string]any)["held"] != true || sessions[1].(map[string]any)["held"] != false {
			return fmt.Errorf("plan = %v", m)
		}
		return nil
	})
	b.WaitFor("/api/v1/training-plans?status=approved&period="+month, sup, func(m map[string]any) error {
		if m["total"] != 1.0 {
			return fmt.Errorf("list = %v", m)
		}
		return nil
	})
	if h := historyTypes(t, b, path, sup); len(h) != 3 || h[2]["type"] != training.TypeSessionHeld {
		t.Fatalf("history = %v", h)
	}
	res := kpiIs(t, b, sup, "/api/v1/kpis/training-plan-completion?month="+month, 0.5, id+"#1", id+"#2")
	if fmt.Sprint(res["numerator_records"]) != fmt.Sprint([]string{id + "#1"}) {
		t.Fatalf("held = %v", res["numerator_records"])
	}
}
