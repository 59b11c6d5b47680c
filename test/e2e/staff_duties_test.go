package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/butler-pm/butler/test/harness"
)

// R-S1, R-S2, R-S8, R-F5 over HTTP: refused attempts of unregistered staff
// count as untrained staff on duty; behaviour results are published to
// every member without the checkers' notes; a butler's appraisal month
// carries their checks and collection against plan, read by them and
// their supervisor only; the work plan is shared with every district.
func TestStaffDutiesJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	b.Onboard(sup, "s-001", "supervisor", "")
	b.Onboard(sup, "b-001", "butler", "d1")
	b.Onboard(sup, "b-002", "butler", "d2")
	b1 := b.Token("butler", "b-001", "p1", "d1")
	b2 := b.Token("butler", "b-002", "p1", "d2")
	stranger := b.Token("butler", "b-009", "p1", "d1")
	analyst := b.Token("analyst", "a-001", "p1", "")

	// R-S2: once the register is in force (its read model knows an
	// onboarded member), an unregistered butler's write is refused, and counted.
	b.WaitFor("/api/v1/staff/b-002", sup, func(m map[string]any) error {
		if m["onboarded"] != true {
			return fmt.Errorf("staff = %v", m)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/work-orders", stranger, map[string]any{"unit": "3-2-501", "description": "楼道灯不亮",
		"area": "public", "warranty": "out"}), 403, "staff_not_on_duty")
	b.WaitFor("/api/v1/kpis/untrained-staff-on-duty?month=2026-03", analyst, func(m map[string]any) error {
		recs := fmt.Sprint(m["numerator_records"])
		if m["value"] != float64(1) || !strings.Contains(recs, "dutyrefusal-") {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})

	// R-S1: checks feed the month and are published.
	b.Must(http.StatusOK, "POST", "/api/v1/staff/b-001/behaviour-checks", sup, map[string]any{"method": "pre_shift", "passed": true})
	b.Must(http.StatusOK, "POST", "/api/v1/staff/b-001/behaviour-checks", sup, map[string]any{"method": "mystery_customer", "passed": false,
		"notes": "3-2-501 王先生来访时未起身服务"})
	b.WaitFor("/api/v1/behaviour-results?month=2026-03", b2, func(m map[string]any) error {
		items, _ := m["items"].([]any)
		if len(items) != 1 {
			return fmt.Errorf("results = %v", m)
		}
		r := items[0].(map[string]any)
		if r["staff"] != "b-001" || r["checks"] != float64(2) || r["checks_failed"] != float64(1) || r["pass_rate"] != 0.5 {
			return fmt.Errorf("result = %v", r)
		}
		return nil
	})
	if r := b.Must(http.StatusOK, "GET", "/api/v1/behaviour-results?month=2026-03", b2, nil); strings.Contains(string(r.Raw), "王先生") {
		t.Fatalf("published results carry a checker's notes: %s", r.Raw)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/behaviour-results", b2, nil), 400, "invalid_input")
	b.WaitFor("/api/v1/kpis/behaviour-check-pass-rate?month=2026-03&district=d1", analyst, func(m map[string]any) error {
		if m["value"] != 0.5 {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})

	// R-F5: the month's collection against plan is on the butler's appraisal month.
	b.Must(http.StatusCreated, "POST", "/api/v1/fees/plans", sup, map[string]any{"month": "2026-03",
		"targets": []map[string]any{{"butler": "b-001", "district": "d1", "target_fen": 100000}}})
	bill := b.Must(http.StatusCreated, "POST", "/api/v1/fees/bills", b1, map[string]any{"unit": "3-2-1201", "period": "2026-03",
		"due": "2026-03-20", "items": []map[string]any{{"name": "物业服务费", "amount_fen": 36250}}}).JSON["id"].(string)
	b.Must(http.StatusOK, "POST", "/api/v1/fees/bills/"+bill+"/payments", sup, map[string]any{"amount_fen": 36250, "receipt_no": "NO.0001", "method": "wechat"})
	harness.Problem(t, b.Do("GET", "/api/v1/staff/b-001/appraisals/2026-03", b2, nil), 403, "forbidden_role")
	b.WaitFor("/api/v1/staff/b-001/appraisals/2026-03", b1, func(m map[string]any) error {
		fee, _ := m["fee_collection"].(map[string]any)
		if m["checks"] != float64(2) || fee == nil || fee["target_fen"] != float64(100000) || fee["collected_fen"] != float64(36250) {
			return fmt.Errorf("appraisal month = %v", m)
		}
		return nil
	})
	b.Must(http.StatusOK, "POST", "/api/v1/staff/b-001/appraisals", sup, map[string]any{"month": "2026-03", "score": 78, "notes": "收费达成 36%"})
	// The appraisal keeps the figures it was made against, from the records.
	b.WaitFor("/api/v1/staff/b-001/appraisals/2026-03", sup, func(m map[string]any) error {
		basis, _ := m["basis"].(map[string]any)
		if m["appraised"] != true || m["on_time"] != true || basis == nil || basis["collected_fen"] != float64(36250) ||
			basis["target_fen"] != float64(100000) || basis["checks"] != float64(2) {
			return fmt.Errorf("appraised month = %v", m)
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/staff/b-001/appraisals", sup, map[string]any{"month": "2026-03", "score": 80, "basis": map[string]any{"collected_fen": 1}}), 400, "unknown_field")
	harness.Problem(t, b.Do("POST", "/api/v1/staff/b-001/appraisals", sup, map[string]any{"month": "2026-03", "score": 80}), 422, "appraisal_already_recorded")

	// R-S7: what the supervisor knows of a member is read by them and HR roles, not by colleagues.
	b.Must(http.StatusOK, "POST", "/api/v1/staff/b-001/profile", sup, map[string]any{"background": "本地人，已婚", "strengths": "熟悉业主"})
	harness.Problem(t, b.Do("GET", "/api/v1/staff/b-001/history", b2, nil), 403, "forbidden_role")
	harness.Problem(t, b.Do("GET", "/api/v1/staff/b-001/profile", b2, nil), 403, "forbidden_role")
	if h := b.Must(http.StatusOK, "GET", "/api/v1/staff/b-001/history", b1, nil); !strings.Contains(string(h.Raw), "熟悉业主") {
		t.Fatalf("own history = %s", h.Raw)
	}
	b.WaitFor("/api/v1/staff/b-001/profile", b1, func(m map[string]any) error {
		if m["strengths"] != "熟悉业主" || m["supervisor"] != "s-001" {
			return fmt.Errorf("profile = %v", m)
		}
		return nil
	})

	// R-S8: the department's plan, read by a butler of any district.
	plan := b.Must(http.StatusCreated, "POST", "/api/v1/work-plans", sup, map[string]any{"month": "2026-03", "targets": []map[string]any{
		{"area": "visits", "description": "走访 8% 住户", "unit": "户", "value": 160}}}).JSON["id"].(string)
	harness.Problem(t, b.Do("POST", "/api/v1/work-plans/"+plan+"/progress", sup, map[string]any{"target_id": "1", "achieved": 20}), 422, "plan_not_discussed")
	b.Must(http.StatusOK, "POST", "/api/v1/work-plans/"+plan+"/discussions", sup, map[string]any{"attendees": []string{"b-001", "b-002"}, "notes": "按片区分解"})
	b.Must(http.StatusOK, "POST", "/api/v1/work-plans/"+plan+"/goals", sup, map[string]any{"area": "visits", "description": "西区走访", "unit": "户", "value": 80, "owner": "b-002"})
	b.Must(http.StatusOK, "POST", "/api/v1/work-plans/"+plan+"/progress", b2, map[string]any{"target_id": "g1", "achieved": 80})
	b.WaitFor("/api/v1/work-plans/"+plan, b1, func(m map[string]any) error {
		if m["discussed"] != true || m["targets_met"] != float64(1) {
			return fmt.Errorf("plan = %v", m)
		}
		return nil
	})
	b.WaitFor("/api/v1/work-plans?month=2026-03", b1, func(m map[string]any) error {
		if m["total"] != float64(1) {
			return fmt.Errorf("plans = %v", m)
		}
		return nil
	})
}
