package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/butler-pm/butler/test/harness"
)

// R-S2 over HTTP: a registered engineer cannot be dispatched a work order
// until trained and assessed; the staff record shows the history.
func TestStaffJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	butler := b.Token("butler", "b-001", "p1", "d1")
	analyst := b.Token("analyst", "a-001", "p1", "")
	// The project's register is set up first: once it has an onboarded
	// member only onboarded staff write (R-S2).
	b.Onboard(sup, "s-001", "supervisor", "")
	b.Onboard(sup, "b-001", "butler", "d1")
	b.Onboard(sup, "op-001", "operations", "")

	harness.Problem(t, b.Do("POST", "/api/v1/staff", butler, map[string]any{"staff_id": "e-007", "name": "张工", "role": "engineer"}), 403, "forbidden_role")
	r := b.Must(http.StatusCreated, "POST", "/api/v1/staff", sup, map[string]any{"staff_id": "e-007", "name": "张工", "role": "engineer"})
	if r.Header.Get("Location") != "/api/v1/staff/e-007" {
		t.Fatalf("location %q", r.Header.Get("Location"))
	}
	harness.Problem(t, b.Do("POST", "/api/v1/staff", sup, map[string]any{"staff_id": "e-007", "name": "张工", "role": "engineer"}), 409, "conflict")

	wo := b.Must(http.StatusCreated, "POST", "/api/v1/work-orders", butler, map[string]any{
		"unit": "3-2-501", "description": "厨房水龙头漏水", "area": "unit", "warranty": "in"}).JSON["id"].(string)
	harness.Problem(t, b.Do("POST", "/api/v1/work-orders/"+wo+"/dispatch", butler, map[string]any{"assignee": "e-007"}), 422, "staff_not_onboarded")
	harness.Problem(t, b.Do("POST", "/api/v1/staff/e-007/assessments", sup, map[string]any{"kind": "written", "onboarding": true, "score": 85}), 422, "not_trained")

	b.Must(http.StatusOK, "POST", "/api/v1/staff/e-007/training", sup, map[string]any{"session": "2026-03 入职培训", "topic": "报修流程与服务礼仪"})
	b.Must(http.StatusOK, "POST", "/api/v1/staff/e-007/assessments", sup, map[string]any{"kind": "practical", "onboarding": true, "score": 85})
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wo+"/dispatch", butler, map[string]any{"assignee": "e-007"})

	b.Must(http.StatusOK, "POST", "/api/v1/staff/e-007/behaviour-checks", sup, map[string]any{"method": "mystery_customer", "passed": true})
	harness.Problem(t, b.Do("POST", "/api/v1/staff/e-007/one-to-ones", sup, map[string]any{"minutes": 40, "notes": "谈心"}), 422, "one_to_one_length")
	b.Must(http.StatusOK, "POST", "/api/v1/staff/e-007/one-to-ones", sup, map[string]any{"minutes": 12, "notes": "工作近况"})
	b.Must(http.StatusOK, "POST", "/api/v1/staff/e-007/sanctions", sup, map[string]any{"kind": "reward", "reason": "业主表扬信", "amount": 100})

	b.WaitFor("/api/v1/staff/e-007", sup, func(m map[string]any) error {
		if m["onboarded"] != true || len(m["sanctions"].([]any)) != 1 || len(m["one_to_ones"].([]any)) != 1 {
			return fmt.Errorf("staff = %v", m)
		}
		return nil
	})
	h := b.Must(http.StatusOK, "GET", "/api/v1/staff/e-007/history", sup, nil)
	if n := len(h.JSON["events"].([]any)); n != 6 {
		t.Fatalf("history has %d events", n)
	}
	b.WaitFor("/api/v1/kpis/untrained-staff-assigned?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(0) || m["denominator"] != float64(1) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})

	// R-W6, R-S4: spot checks with corrective actions, weekly patrols.
	b.Must(http.StatusCreated, "POST", "/api/v1/work-orders", butler, map[string]any{
		"unit": "3-2-502", "description": "门铃坏", "area": "unit", "warranty": "out"})
	harness.Problem(t, b.Do("POST", "/api/v1/quality/spot-checks", butler, map[string]any{"work_order_id": wo, "matches": true}), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/quality/spot-checks", sup, map[string]any{"work_order_id": wo}), 422, "problem_missing")
	check := b.Must(http.StatusCreated, "POST", "/api/v1/quality/spot-checks", sup, map[string]any{"work_order_id": wo, "problem": "纸质派工单缺业主签字"}).JSON["id"].(string)
	b.WaitFor("/api/v1/kpis/spot-checks-uncorrected?month=2026-03", analyst, func(m map[string]any) error {
		if m["value"] != float64(1) {
			return fmt.Errorf("kpi = %v", m)
		}
		return nil
	})
	b.Must(http.StatusOK, "POST", "/api/v1/quality/spot-checks/"+check+"/correct", sup, map[string]any{"action": "补签，并在班前会强调"})
	b.Must(http.StatusCreated, "POST", "/api/v1/quality/supervisor-patrols", sup, map[string]any{"areas": []string{"1-3号楼"}, "report": "自检：公共区域整洁，2 处灯具损坏已报修"})
	// R-S6: a confidential integrity report, read by operations only.
	ops := b.Token("operations", "op-001", "p1", "")
	rep := b.Must(http.StatusCreated, "POST", "/api/v1/integrity-reports", butler, map[string]any{"subject": "某收费员", "content": "收费不给票据", "anonymous": true}).JSON["id"].(string)
	harness.Problem(t, b.Do("GET", "/api/v1/integrity-reports/"+rep, sup, nil), 403, "forbidden_role")
	harness.Problem(t, b.Do("GET", "/api/v1/integrity-reports", sup, nil), 403, "forbidden_role")
	if r := b.Must(http.StatusOK, "GET", "/api/v1/integrity-reports/"+rep, ops, nil); !strings.Contains(string(r.Raw), "收费不给票据") {
		t.Fatalf("report = %s", r.Raw)
	}
	b.Must(http.StatusOK, "POST", "/api/v1/integrity-reports/"+rep+"/handle", ops, map[string]any{"outcome": "已查实，按制度处理"})
	b.WaitFor("/api/v1/integrity-reports?status=handled", ops, func(m map[string]any) error {
		if m["total"] != float64(1) || strings.Contains(fmt.Sprint(m), "收费不给票据") {
			return fmt.Errorf("list = %v", m)
		}
		return nil
	})

	for name, want := range map[string]float64{"spot-check-coverage": 0.5, "spot-checks-uncorrected": 0, "supervisor-weekly-patrols": 1} {
		b.WaitFor("/api/v1/kpis/"+name+"?month=2026-03", analyst, func(m map[string]any) error {
			if m["value"] != want {
				return fmt.Errorf("%s = %v", name, m)
			}
			return nil
		})
	}
}
