package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/butler-pm/butler/test/harness"
)

// R-N1…R-N3 over HTTP: the night shift logs messages, cannot close with
// one open, hands it to the day shift; an emergency follows its
// procedure; drills and hand-over checks are counted per month.
func TestCommandCentreJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	night := b.Token("operator", "o-001", "p1", "")
	day := b.Token("operator", "o-002", "p1", "")
	sup := b.Token("supervisor", "s-001", "p1", "")
	analyst := b.Token("analyst", "a-001", "p1", "")

	n := b.Must(http.StatusCreated, "POST", "/api/v1/shifts", night, map[string]any{"night": true}).JSON["id"].(string)
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+n+"/messages", night, map[string]any{"from": "3-2-501 王女士", "content": "楼上漏水到我家"})
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+n+"/messages", night, map[string]any{"from": "5-1-101", "content": "楼下有人喧哗"})
	var open []any
	b.WaitFor("/api/v1/shifts/"+n, night, func(m map[string]any) error {
		open, _ = m["open_messages"].([]any)
		if len(open) != 2 {
			return fmt.Errorf("shift = %v", m)
		}
		return nil
	})
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+n+"/handle", night, map[string]any{"message_id": open[1], "result": "已通知秩序维护员劝导"})
	b.WaitFor("/api/v1/kpis/night-messages-unhandled?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(1) || m["denominator"] != float64(2) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/shifts/"+n+"/close", night, nil), 422, "messages_open")
	harness.Problem(t, b.Do("POST", "/api/v1/shifts", day, map[string]any{"previous": n}), 422, "previous_not_handed_over")
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+n+"/hand-over", night, map[string]any{"to": "o-002"})
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+n+"/close", night, nil)
	d := b.Must(http.StatusCreated, "POST", "/api/v1/shifts", day, map[string]any{"previous": n}).JSON["id"].(string)
	b.WaitFor("/api/v1/kpis/night-messages-unhandled?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(0) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/shifts/"+d+"/close", day, nil), 422, "messages_open")
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+d+"/handle", day, map[string]any{"message_id": open[0], "result": "已派单维修"})
	b.Must(http.StatusOK, "POST", "/api/v1/shifts/"+d+"/close", day, nil)

	harness.Problem(t, b.Do("POST", "/api/v1/emergencies", night, map[string]any{"type": "flood", "location": "B1", "district": "d1"}), 422, "unknown_emergency")
	e := b.Must(http.StatusCreated, "POST", "/api/v1/emergencies", night, map[string]any{"type": "wall_climbing", "location": "东侧围墙", "district": "d1"}).JSON["id"].(string)
	harness.Problem(t, b.Do("POST", "/api/v1/emergencies/"+e+"/close", night, map[string]any{"summary": "x"}), 422, "steps_outstanding")
	for _, s := range []string{"dispatch_guard", "review_cctv", "report_manager"} {
		b.Must(http.StatusOK, "POST", "/api/v1/emergencies/"+e+"/steps", night, map[string]any{"step": s})
	}
	b.Must(http.StatusOK, "POST", "/api/v1/emergencies/"+e+"/close", night, map[string]any{"summary": "巡逻确认为快递员，已登记"})

	b.Must(http.StatusCreated, "POST", "/api/v1/command-centre/drills", sup, map[string]any{"type": "fire", "participants": 14})
	b.Must(http.StatusCreated, "POST", "/api/v1/command-centre/handover-checks", sup, map[string]any{"shift_id": n, "passed": true})
	b.WaitFor("/api/v1/kpis/drills-per-month?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(1) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
	b.WaitFor("/api/v1/kpis/handover-checks-per-month?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(1) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
	b.WaitFor("/api/v1/emergencies/"+e, sup, func(m map[string]any) error {
		if m["status"] != "closed" {
			return fmt.Errorf("emergency = %v", m)
		}
		return nil
	})
}
