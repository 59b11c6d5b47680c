package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

func TestRenovationJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	butlerD2 := b.Token("butler", "b-002", "p1", "d2")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	manager := b.Token("project_manager", "m-001", "p1", "")
	engineer := b.Token("engineer", "e-001", "p1", "")

	// R-R1: filing with its documents; approval needs all five.
	id := b.Must(201, "POST", "/api/v1/renovations", butler, map[string]any{"unit": "3-2-1201", "owner": "业主王女士", "contractor": "美家装饰",
		"description": "厨房卫生间改造，更换地砖", "documents": []map[string]string{{"kind": "application", "ref": "ZX-2026-031"},
			{"kind": "quality_confirmation", "ref": "QC-031"}, {"kind": "agreement", "ref": "XY-031"}}}).JSON["id"].(string)
	p := "/api/v1/renovations/" + id
	harness.Problem(t, b.Do("POST", p+"/approve", manager, map[string]any{}), 422, "documents_incomplete")
	b.Must(200, "POST", p+"/documents", butler, map[string]any{"kind": "fees", "ref": "NO.0031"})
	b.Must(200, "POST", p+"/documents", butler, map[string]any{"kind": "department_review", "ref": "工程部审核通过"})
	harness.Problem(t, b.Do("POST", p+"/approve", butler, map[string]any{}), 403, "forbidden_role")
	b.Must(200, "POST", p+"/approve", manager, map[string]any{})

	// R-R2: work cannot be recorded as started without the site check and the briefing.
	harness.Problem(t, b.Do("POST", p+"/start", butler, map[string]any{}), 422, "site_check_missing")
	b.Must(200, "POST", p+"/site-check", butler, map[string]any{"note": "墙面地面无异常，已拍照留存"})
	harness.Problem(t, b.Do("POST", p+"/start", butler, map[string]any{}), 422, "briefing_missing")
	b.Must(200, "POST", p+"/briefing", butler, map[string]any{"owner": "业主王女士", "contractor": "美家装饰 张工"})
	harness.Problem(t, b.Do("POST", p+"/start", butlerD2, map[string]any{}), 403, "forbidden_scope")
	b.Must(200, "POST", p+"/start", butler, map[string]any{})

	// R-R3: the day's inspection covers the whole checklist.
	checklist := map[string]bool{"finished_product_protection": true, "rubbish": true, "working_hours": true, "walls": true,
		"waterproofing": true, "guard_rails": true}
	harness.Problem(t, b.Do("POST", p+"/inspections", butler, map[string]any{"checklist": checklist}), 422, "checklist_incomplete")
	checklist["terrace_balcony"] = true
	b.Must(200, "POST", p+"/inspections", butler, map[string]any{"checklist": checklist, "note": "成品保护到位"})

	// R-R4: a violation is stopped, evidenced, reported, and open until rectified.
	harness.Problem(t, b.Do("POST", p+"/violations", butler, map[string]any{"description": "擅自拆改阳台栏杆", "reported_to": "s-001"}), 400, "invalid_input")
	b.Must(200, "POST", p+"/violations", butler, map[string]any{"description": "擅自拆改阳台栏杆", "evidence": []string{"photo-0302-1", "video-0302-2"}, "reported_to": "s-001"})
	harness.Problem(t, b.Do("POST", p+"/violations/close", butler, map[string]any{"violation_id": "v1"}), 422, "violation_not_rectified")
	harness.Problem(t, b.Do("POST", p+"/complete", butler, map[string]any{}), 422, "violations_open")
	kpiIs(t, b, supervisor, "/api/v1/kpis/renovation-open-violations", 1, id+"-v1")
	b.Must(200, "POST", p+"/violations/rectify", butler, map[string]any{"violation_id": "v1", "note": "栏杆已恢复原状"})
	b.Must(200, "POST", p+"/violations/close", supervisor, map[string]any{"violation_id": "v1"})
	kpiIs(t, b, supervisor, "/api/v1/kpis/renovation-open-violations", 0, id+"-v1")

	// R-R6: one register check this week.
	b.Must(201, "POST", "/api/v1/renovations/register-checks", supervisor, map[string]any{"renovations": []string{id}, "matches": true})

	// Two days on: 3 March had no inspection, so it is recorded missed.
	b.Clock.Advance(48 * time.Hour)
	b.WaitFor(p, butler, func(m map[string]any) error {
		if fmt.Sprint(m["missed_days"]) != "[2026-03-03]" {
			return fmt.Errorf("missed days = %v", m["missed_days"])
		}
		return nil
	})
	kpiIs(t, b, supervisor, "/api/v1/kpis/renovation-inspection-compliance?month=2026-03", 0.5, id+"|2026-03-02", id+"|2026-03-03")
	b.Must(200, "POST", p+"/inspections", butler, map[string]any{"checklist": checklist})
	kpiIs(t, b, butler, "/api/v1/kpis/renovation-inspection-compliance?butler=b-001", 2.0/3)

	// R-R5: engineering's acceptance; the owner moves in once findings are fixed.
	b.Must(200, "POST", p+"/complete", butler, map[string]any{})
	harness.Problem(t, b.Do("POST", p+"/acceptance", butler, map[string]any{"findings": []string{}}), 403, "forbidden_role")
	b.Must(200, "POST", p+"/acceptance", engineer, map[string]any{"findings": []string{"卫生间未做闭水试验"}})
	harness.Problem(t, b.Do("POST", p+"/close", butler, map[string]any{}), 422, "not_accepted")
	b.Must(200, "POST", p+"/findings/fix", engineer, map[string]any{"finding": 0, "note": "闭水48小时无渗漏"})
	b.Must(200, "POST", p+"/close", butler, map[string]any{})

	// A week on, week 10 had one register check: short.
	b.Clock.Advance(7 * 24 * time.Hour)
	kpiIs(t, b, supervisor, "/api/v1/kpis/renovation-register-checks?month=2026-03", 0)

	// Search, scope, history.
	b.WaitFor("/api/v1/renovations?q=美家装饰", supervisor, func(m map[string]any) error {
		if m["total"] != 1.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
	harness.Problem(t, b.Do("GET", p, butlerD2, nil), 404, "not_found")
	var types []string
	for _, e := range historyTypes(t, b, p, supervisor) {
		types = append(types, e["type"].(string))
	}
	if fmt.Sprint(types[len(types)-1]) != "renovation.closed.v1" || !containsString(types, "renovation.inspection_missed.v1") {
		t.Fatalf("history = %v", types)
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
