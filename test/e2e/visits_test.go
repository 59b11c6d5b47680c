package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// R-H1…R-H5 over HTTP, with the clock moved for R-H3's deadline.
func TestVisitJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	sup := b.Token("supervisor", "s-001", "p1", "")
	engineer := b.Token("engineer", "e-001", "p1", "d1")
	analyst := b.Token("analyst", "a-001", "p1", "")

	households := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("1-%03d", i+1)
		}
		return out
	}
	// R-H1: no register of units, no plan; the register, not the caller, gives the count
	harness.Problem(t, b.Do("POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03", "households": households(4)}),
		422, "units_not_registered")
	units := []map[string]string{}
	for _, u := range append(households(50), "VIP-1", "VIP-2", "VIP-3") {
		units = append(units, map[string]string{"unit": u})
	}
	units = append(units, map[string]string{"unit": "1-051", "status": "vacant"})
	harness.Problem(t, b.Do("POST", "/api/v1/unit-register", butler, map[string]any{"units": units}), 403, "forbidden_role")
	b.Must(http.StatusCreated, "POST", "/api/v1/unit-register", sup, map[string]any{"district": "d1", "units": units})
	harness.Problem(t, b.Do("POST", "/api/v1/unit-register", sup, map[string]any{"district": "d1", "units": units[:1]}), 422, "duplicate_unit")
	b.WaitFor("/api/v1/unit-register?district=d1&status=vacant", sup, func(m map[string]any) error {
		if m["total"] != float64(1) {
			return fmt.Errorf("vacant units = %v", m)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03", "households": households(50), "district_households": 1000}),
		400, "invalid_input")
	// 3 of the 53 occupied units (50 flats and the three VIP units) is under 8%
	r := b.Do("POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03", "households": households(3)})
	harness.Problem(t, r, 422, "coverage_too_low")
	if d, _ := r.JSON["detail"].(string); !strings.Contains(d, "3 of 53 households") {
		t.Fatalf("no numbers in %s", r.Raw)
	}
	harness.Problem(t, b.Do("POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03",
		"households": append(households(4), "1-001")}), 422, "duplicate_household")
	harness.Problem(t, b.Do("POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03",
		"households": append(households(4), "9-999")}), 422, "unregistered_unit")
	harness.Problem(t, b.Do("POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03",
		"households": append(households(4), "1-051")}), 422, "vacant_unit")
	plan := b.Must(http.StatusCreated, "POST", "/api/v1/visit-plans", butler, map[string]any{"month": "2026-03",
		"households": households(5)}).JSON["id"].(string)

	var first string
	for i, hh := range households(5) {
		body := map[string]any{"household": hh, "kind": "routine", "plan_id": plan, "satisfaction": 3 + i%2}
		if i == 0 {
			body["opinions"] = []string{"单元门禁常坏", "希望增加儿童游乐设施"}
		}
		id := b.Must(http.StatusCreated, "POST", "/api/v1/visits", butler, body).JSON["id"].(string)
		if i == 0 {
			first = id
		}
	}
	b.Must(http.StatusCreated, "POST", "/api/v1/visits", butler, map[string]any{"household": "1-001", "kind": "routine", "plan_id": plan})
	harness.Problem(t, b.Do("POST", "/api/v1/visits/"+first+"/feedback", butler, map[string]any{"opinion": 0, "channel": "phone"}), 422, "not_rectified")
	b.Must(http.StatusOK, "POST", "/api/v1/visits/"+first+"/rectify", butler, map[string]any{"opinion": 0, "action": "已更换门禁主板"})
	b.Must(http.StatusOK, "POST", "/api/v1/visits/"+first+"/feedback", butler, map[string]any{"opinion": 0, "channel": "phone", "note": "业主确认已修好"})
	b.Must(http.StatusOK, "POST", "/api/v1/visits/"+first+"/warn", butler, map[string]any{"problem": "多户反映游乐设施不足，需公司立项"})

	harness.Problem(t, b.Do("POST", "/api/v1/visits", butler, map[string]any{"household": "VIP-1", "kind": "key_client"}), 422, "key_client_by_supervisor")
	// R-H7: the key-client register; R-H4: only its households get key-client visits
	harness.Problem(t, b.Do("POST", "/api/v1/visits", sup, map[string]any{"household": "VIP-1", "kind": "key_client", "district": "d1"}), 422, "not_a_key_client")
	for _, hh := range []string{"VIP-1", "VIP-2", "VIP-3"} {
		b.Must(http.StatusOK, "POST", "/api/v1/unit-register/"+hh+"/mark-key-client", sup, map[string]any{"district": "d1", "reason": "业委会成员"})
	}
	b.Must(http.StatusOK, "POST", "/api/v1/unit-register/VIP-3/unmark-key-client", sup, map[string]any{"district": "d1", "reason": "已搬离"})
	harness.Problem(t, b.Do("POST", "/api/v1/visits", sup, map[string]any{"household": "VIP-3", "kind": "key_client", "district": "d1"}), 422, "not_a_key_client")
	for _, hh := range []string{"VIP-1", "VIP-2"} {
		b.Must(http.StatusCreated, "POST", "/api/v1/visits", sup, map[string]any{"household": hh, "kind": "key_client", "district": "d1", "festival": true})
	}
	b.WaitFor("/api/v1/unit-register/VIP-3", butler, func(m map[string]any) error {
		if m["key_client"] != false || m["building"] != "VIP" || m["status"] != "occupied" {
			return fmt.Errorf("VIP-3 = %v", m)
		}
		return nil
	})
	b.Must(http.StatusNotFound, "GET", "/api/v1/unit-register/VIP-3", b.Token("butler", "b-002", "p1", "d2"), nil)
	b.WaitFor("/api/v1/unit-register?key_client=true", sup, func(m map[string]any) error {
		if m["total"] != float64(2) {
			return fmt.Errorf("key clients = %v", m)
		}
		return nil
	})

	want := map[string]float64{"visit-ratio": 1, "visit-duplicates": 1, "opinion-feedback-rate": 0.5}
	for name, v := range want {
		b.WaitFor("/api/v1/kpis/"+name+"?month=2026-03", analyst, func(m map[string]any) error {
			if m["value"] != v {
				return fmt.Errorf("%s = %v", name, m)
			}
			return nil
		})
	}
	for _, kpi := range []string{"key-client-visits?month=2026-03&butler=s-001", "spring-festival-key-client-visits?month=2026-03"} {
		b.WaitFor("/api/v1/kpis/"+kpi, analyst, func(m map[string]any) error {
			if m["value"] != float64(2) {
				return fmt.Errorf("%s = %v", kpi, m)
			}
			return nil
		})
	}
	// R-H6: the monthly visit report
	b.WaitFor("/api/v1/visit-reports?month=2026-03&butler=b-001", sup, func(m map[string]any) error {
		rows, _ := m["rows"].([]any)
		if len(rows) != 1 {
			return fmt.Errorf("report = %v", m)
		}
		row := rows[0].(map[string]any)
		// 6 visits (one a duplicate), 5 planned households visited of 53, ratings 3,4,3,4,3
		if row["planned"] != float64(5) || row["made"] != float64(6) || row["planned_visited"] != float64(5) ||
			row["opinions"] != float64(2) || row["rectified"] != float64(1) || row["fed_back"] != float64(1) ||
			row["rated"] != float64(5) || row["average_satisfaction"] != 3.4 {
			return fmt.Errorf("report row = %v", row)
		}
		return nil
	})
	harness.Problem(t, b.Do("GET", "/api/v1/visit-reports", sup, nil), 400, "invalid_query")
	b.WaitFor("/api/v1/trends/satisfaction?module=visits&by=butler&month=2026-03", analyst, func(m map[string]any) error {
		points, _ := m["points"].([]any)
		if len(points) != 1 || points[0].(map[string]any)["group"] != "b-001" || points[0].(map[string]any)["average"] != 3.4 {
			return fmt.Errorf("visit satisfaction trend = %v", m)
		}
		return nil
	})

	// R-H3: an urgent repair's completion makes a return visit due within 24 h.
	wo := b.Must(http.StatusCreated, "POST", "/api/v1/work-orders", butler, map[string]any{
		"unit": "1-002", "description": "水管爆裂", "area": "unit", "warranty": "in", "urgent": true}).JSON["id"].(string)
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wo+"/dispatch", butler, map[string]any{"assignee": "e-001"})
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wo+"/start", engineer, nil)
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wo+"/complete", engineer, map[string]any{"result": "更换水管"})
	b.WaitFor("/api/v1/return-visits/"+wo, butler, func(m map[string]any) error {
		if m["status"] != "open" || m["reason"] != "urgent_repair" {
			return fmt.Errorf("due = %v", m)
		}
		return nil
	})
	m := b.Must(http.StatusCreated, "POST", "/api/v1/return-visits/misfortunes", butler, map[string]any{"household": "1-003", "note": "业主住院"}).JSON["id"].(string)
	b.Clock.Advance(25 * time.Hour)
	b.WaitFor("/api/v1/return-visits/"+wo, butler, func(m map[string]any) error {
		if m["status"] != "overdue" {
			return fmt.Errorf("due = %v", m)
		}
		return nil
	})
	wrong := b.Must(http.StatusCreated, "POST", "/api/v1/visits", butler, map[string]any{"household": "1-004", "kind": "return"}).JSON["id"].(string)
	harness.Problem(t, b.Do("POST", "/api/v1/return-visits/"+wo+"/satisfy", butler, map[string]any{"visit_id": wrong}), 422, "wrong_household")
	v := b.Must(http.StatusCreated, "POST", "/api/v1/visits", butler, map[string]any{"household": "1-003", "kind": "return", "notes": "慰问"}).JSON["id"].(string)
	b.Must(http.StatusOK, "POST", "/api/v1/return-visits/"+m+"/satisfy", butler, map[string]any{"visit_id": v})
	b.WaitFor("/api/v1/kpis/required-return-visits-on-time?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != 0.5 || m["denominator"] != float64(2) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
}
