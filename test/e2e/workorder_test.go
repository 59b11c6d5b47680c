package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

func registerWorkOrder(t *testing.T, b *harness.Butler, tok string, body map[string]any) string {
	t.Helper()
	base := map[string]any{"unit": "5-1-302", "description": "厨房水龙头漏水", "area": "unit", "warranty": "in",
		"paid": false, "urgent": false, "leak": false}
	for k, v := range body {
		base[k] = v
	}
	r := b.Must(201, "POST", "/api/v1/work-orders", tok, base)
	return r.JSON["id"].(string)
}

func historyTypes(t *testing.T, b *harness.Butler, path, tok string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range b.Must(200, "GET", path+"/history", tok, nil).JSON["events"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

func TestWorkOrderJourneyWithTheTimeRules(t *testing.T) {
	t.Parallel()
	forEachEngine(t, workOrderJourney)
}

func workOrderJourney(t *testing.T, b *harness.Butler) {
	butler := b.Token("butler", "b-001", "p1", "d1")
	engineer := b.Token("engineer", "e-001", "p1", "")
	supervisor := b.Token("supervisor", "s-001", "p1", "")

	// An urgent in-home repair: the owner must confirm, and the return visit is due within 24 h.
	urgent := registerWorkOrder(t, b, butler, map[string]any{"urgent": true, "description": "卫生间下水道堵塞，污水倒灌"})
	up := "/api/v1/work-orders/" + urgent
	harness.Problem(t, b.Do("POST", up+"/start", engineer, map[string]any{}), 422, "not_dispatched")
	b.Must(200, "POST", up+"/dispatch", butler, map[string]any{"assignee": "e-001"})
	b.Must(200, "POST", up+"/start", engineer, map[string]any{})
	b.Must(200, "POST", up+"/complete", engineer, map[string]any{"result": "疏通下水管道，更换存水弯"})
	harness.Problem(t, b.Do("POST", up+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": 5}), 422, "owner_confirmation_missing")
	harness.Problem(t, b.Do("POST", up+"/close", butler, map[string]any{}), 422, "owner_confirmation_missing")
	b.Must(200, "POST", up+"/confirm", engineer, map[string]any{"signed_by": "业主王先生"})

	// A repair left alone for more than 3 days with no word to the owner breaches the SLA …
	late := registerWorkOrder(t, b, butler, map[string]any{"description": "阳台推拉门变形关不上"})
	// … one whose owner was kept informed does not.
	informed := registerWorkOrder(t, b, butler, map[string]any{"description": "客厅墙面开裂"})
	b.Must(200, "POST", "/api/v1/work-orders/"+informed+"/follow-up", butler, map[string]any{"channel": "phone", "note": "告知业主材料到货后安排维修"})

	// 25 hours later the urgent repair's return visit is overdue.
	b.Clock.Advance(25 * time.Hour)
	b.WaitFor(up, supervisor, func(m map[string]any) error {
		if m["return_visit_overdue"] != true {
			return fmt.Errorf("return_visit_overdue = %v", m["return_visit_overdue"])
		}
		return nil
	})
	evs := historyTypes(t, b, up, supervisor)
	last := evs[len(evs)-1]
	if last["type"] != "workorder.return_visit_overdue.v1" || last["actor"].(map[string]any)["staff_id"] != "system" {
		t.Fatalf("overdue event: %v", last)
	}
	b.Must(200, "POST", up+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": 4, "comment": "处理及时"})
	b.Must(200, "POST", up+"/close", butler, map[string]any{})

	// Three days after registration: the silent repair breaches, the informed one does not.
	b.Clock.Advance(48*time.Hour + time.Minute)
	b.WaitFor("/api/v1/work-orders/"+late, supervisor, func(m map[string]any) error {
		if m["sla_breached"] != true {
			return fmt.Errorf("sla_breached = %v", m["sla_breached"])
		}
		return nil
	})
	// Give the policy a few more ticks: the breach is recorded once, and never for the informed repair.
	time.Sleep(300 * time.Millisecond)
	breaches := 0
	for _, e := range historyTypes(t, b, "/api/v1/work-orders/"+late, supervisor) {
		if e["type"] == "workorder.sla_breached.v1" {
			breaches++
		}
	}
	if breaches != 1 {
		t.Fatalf("%d breach events, want exactly 1", breaches)
	}
	for _, e := range historyTypes(t, b, "/api/v1/work-orders/"+informed, supervisor) {
		if e["type"] == "workorder.sla_breached.v1" {
			t.Fatal("a repair whose owner was informed within 3 days was recorded as an SLA breach")
		}
	}
	b.WaitFor("/api/v1/kpis/work-order-sla-breaches?month=2026-03", supervisor, func(k map[string]any) error {
		if k["value"] != float64(1) || fmt.Sprint(k["numerator_records"]) != "["+late+"]" {
			return fmt.Errorf("sla kpi: %v", k)
		}
		return nil
	})
	b.WaitFor("/api/v1/kpis/urgent-repair-return-visit-24h", supervisor, func(k map[string]any) error {
		if k["value"] != float64(0) || k["denominator"] != float64(1) {
			return fmt.Errorf("urgent 24h kpi (the visit came after 25 h): %v", k)
		}
		return nil
	})
}

func TestLeakRepairWaitsForTheFirstRainyDay(t *testing.T) {
	t.Parallel()
	forEachEngine(t, leakJourney)
}

func leakJourney(t *testing.T, b *harness.Butler) {
	butler := b.Token("butler", "b-001", "p1", "d1")
	leak := registerWorkOrder(t, b, butler, map[string]any{"leak": true, "area": "public", "unit": "", "description": "3号楼屋面渗漏，顶层走廊滴水"})
	p := "/api/v1/work-orders/" + leak
	b.Must(200, "POST", p+"/dispatch", butler, map[string]any{"assignee": "e-002"})
	b.Must(200, "POST", p+"/start", butler, map[string]any{})
	b.Must(200, "POST", p+"/complete", butler, map[string]any{"result": "屋面防水卷材修补"})
	// R-W4: a public-area repair is signed off by the district's butler or a supervisor, not the engineer.
	engineer := b.Token("engineer", "e-002", "p1", "")
	harness.Problem(t, b.Do("POST", p+"/return-visit", butler, map[string]any{"channel": "visit", "satisfaction": 5}), 422, "public_signoff_missing")
	harness.Problem(t, b.Do("POST", p+"/confirm", engineer, map[string]any{}), 422, "public_signoff_role")
	b.Must(200, "POST", p+"/confirm", butler, map[string]any{})

	// No rain yet: the return visit must wait.
	harness.Problem(t, b.Do("POST", p+"/return-visit", butler, map[string]any{"channel": "visit", "satisfaction": 5}), 422, "no_rain_since_completion")
	b.Clock.Advance(48 * time.Hour)
	harness.Problem(t, b.Do("POST", "/api/v1/rainy-days", butler, map[string]any{"date": "2030-01-01"}), 422, "date_in_future")
	b.Must(201, "POST", "/api/v1/rainy-days", butler, map[string]any{"date": "2026-03-03"})
	harness.Problem(t, b.Do("POST", "/api/v1/rainy-days", butler, map[string]any{"date": "2026-03-03"}), 422, "duplicate_date")
	b.Must(200, "POST", p+"/return-visit", butler, map[string]any{"channel": "visit", "satisfaction": 5, "comment": "雨后检查无渗漏"})
	doc := b.WaitFor(p, butler, func(m map[string]any) error {
		if m["status"] != "visited" {
			return fmt.Errorf("status %v", m["status"])
		}
		return nil
	})
	if doc["after_rainy_day"] != "2026-03-03" {
		t.Fatalf("the visit does not say which rain it waited for: %v", doc)
	}
}

// R-W5: an urgent leak repair's 24 h visit is made at once; its after-rain
// visit waits for rain, which today's rainy day, recorded after the
// repair, is. A leak left without its after-rain visit three days after
// the rain is recorded late, and leak-after-rain-compliance names both.
// R-W7: the supervisor verifies a return visit.
func TestUrgentLeakRepairJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	engineer := b.Token("engineer", "e-001", "p1", "")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	analyst := b.Token("analyst", "an-001", "p1", "")
	completed := func(body map[string]any) string {
		p := "/api/v1/work-orders/" + registerWorkOrder(t, b, butler, body)
		b.Must(200, "POST", p+"/dispatch", butler, map[string]any{"assignee": "e-001"})
		b.Must(200, "POST", p+"/start", engineer, map[string]any{})
		b.Must(200, "POST", p+"/complete", engineer, map[string]any{"result": "重做卫生间防水"})
		b.Must(200, "POST", p+"/confirm", engineer, map[string]any{"signed_by": "业主王先生"})
		return p
	}
	urgent := completed(map[string]any{"urgent": true, "leak": true, "description": "卫生间漏水到楼下"})
	plain := completed(map[string]any{"leak": true, "unit": "5-1-303", "description": "窗台渗水"})

	b.Must(200, "POST", urgent+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": 5, "comment": "已修好"})
	harness.Problem(t, b.Do("POST", urgent+"/close", butler, map[string]any{}), 422, "return_visit_missing")
	harness.Problem(t, b.Do("POST", urgent+"/return-visit", butler, map[string]any{"kind": "after_rain", "channel": "visit", "satisfaction": 5}), 422, "no_rain_since_completion")

	b.Clock.Advance(2 * time.Hour) // it rains in the afternoon of the completion day
	b.Must(201, "POST", "/api/v1/rainy-days", butler, map[string]any{"date": "2026-03-02"})
	b.Must(200, "POST", urgent+"/return-visit", butler, map[string]any{"channel": "visit", "satisfaction": 5, "comment": "雨后检查无渗漏"})
	b.Must(200, "POST", urgent+"/close", butler, map[string]any{})
	doc := b.WaitFor(urgent, supervisor, func(m map[string]any) error {
		if m["status"] != "closed" || m["after_rain_visit_in_time"] != true || m["return_visit_in_time"] != true {
			return fmt.Errorf("urgent leak: %v %v %v", m["status"], m["after_rain_visit_in_time"], m["return_visit_in_time"])
		}
		return nil
	})
	if doc["after_rainy_day"] != "2026-03-02" || fmt.Sprint(doc["visits_made"]) != "[urgent_24h after_rain]" {
		t.Fatalf("urgent leak visits: %v %v", doc["after_rainy_day"], doc["visits_made"])
	}

	// The other leak got no visit: on 6 March (three days after the rain have passed) it is late.
	b.Clock.Set(time.Date(2026, 3, 6, 0, 1, 0, 0, harness.Shanghai))
	b.WaitFor(plain, supervisor, func(m map[string]any) error {
		if m["after_rain_overdue"] != true {
			return fmt.Errorf("after_rain_overdue = %v", m["after_rain_overdue"])
		}
		return nil
	})
	names := map[string]bool{}
	for _, k := range b.Must(200, "GET", "/api/v1/kpis", analyst, nil).JSON["kpis"].([]any) {
		names[k.(map[string]any)["name"].(string)] = true
	}
	for _, n := range []string{"leak-after-rain-compliance", "work-order-time-to-close", "return-visit-verification-coverage", "paid-return-visit-verification"} {
		if !names[n] {
			t.Errorf("GET /api/v1/kpis does not list %s", n)
		}
	}
	urgentID, plainID := urgent[len("/api/v1/work-orders/"):], plain[len("/api/v1/work-orders/"):]
	b.WaitFor("/api/v1/kpis/leak-after-rain-compliance?month=2026-03", analyst, func(k map[string]any) error {
		recs := fmt.Sprint(k["records"])
		if k["value"] != 0.5 || len(k["records"].([]any)) != 2 || !strings.Contains(recs, urgentID) || !strings.Contains(recs, plainID) ||
			fmt.Sprint(k["numerator_records"]) != "["+urgentID+"]" {
			return fmt.Errorf("leak-after-rain-compliance: %v", k)
		}
		return nil
	})

	// R-W7: the supervisor calls the owner back; a butler may not verify.
	harness.Problem(t, b.Do("POST", urgent+"/verify-return-visit", butler, map[string]any{"method": "call_back", "result": "ok"}), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", plain+"/verify-return-visit", supervisor, map[string]any{"method": "call_back", "result": "ok"}), 422, "no_return_visit_to_verify")
	b.Must(200, "POST", urgent+"/verify-return-visit", supervisor, map[string]any{"method": "call_back", "result": "ok"})
	b.WaitFor("/api/v1/kpis/return-visit-verification-coverage?month=2026-03", analyst, func(k map[string]any) error {
		if k["value"] != float64(1) || fmt.Sprint(k["numerator_records"]) != "["+urgentID+"]" {
			return fmt.Errorf("return-visit-verification-coverage: %v", k)
		}
		return nil
	})
}
