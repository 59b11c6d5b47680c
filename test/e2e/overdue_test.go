package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// GET /api/v1/overdue gathers what every module knows is overdue, or due
// within 24 hours: each of the ten kinds appears once its record is past
// its deadline, the most overdue first, a district's butler sees their own
// district only.
func TestOverdueAcrossModules(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{}) // 2026-03-02 09:00 Shanghai
	butler := b.Token("butler", "b-001", "p1", "d1")
	butler2 := b.Token("butler", "b-003", "p1", "d2")
	sup := b.Token("supervisor", "s-001", "p1", "")
	engineer := b.Token("engineer", "e-001", "p1", "d1")
	custodian := b.Token("custodian", "k-001", "p1", "")
	manager := b.Token("project_manager", "m-001", "p1", "")
	ops := b.Token("operations", "op-001", "p1", "")
	quality := b.Token("quality", "q-001", "p1", "")
	operator := b.Token("operator", "o-001", "p1", "")

	// complaint_overdue: the completion time told to the owner (R-C2) passes.
	c := b.Must(201, "POST", "/api/v1/complaints", butler, map[string]any{"unit": "1-2-303", "owner": "陈静", "phone": "13500004444",
		"category": "漏水", "description": "卫生间顶部渗水", "soothing": "已安抚"}).JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/complaints/"+c+"/dispatch", butler, map[string]any{"assignee": "e-001"})
	b.Must(200, "POST", "/api/v1/complaints/"+c+"/explain-delay", butler, map[string]any{"reason": "需楼上业主配合", "expected_by": "2026-03-06"})
	// workorder_sla: 3 days without completion or a word with the owner (R-W3).
	b.Must(201, "POST", "/api/v1/work-orders", butler2, map[string]any{"unit": "2-1-101", "description": "门禁失灵", "area": "unit", "warranty": "in"})
	// key_loan_overdue (R-K2).
	k := b.Must(201, "POST", "/api/v1/keys", custodian, map[string]any{"unit": "3-2-1201", "tag": "K-001", "district": "d1"}).JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/keys/"+k+"/lend", custodian, map[string]any{"borrower": "装修工李师傅", "purpose": "装修进场",
		"authorised_by": "业主王女士", "authorisation_ref": "SQ-2026-017", "due": "2026-03-02T17:00:00+08:00"})
	// inspection_missed: a renovation at work, inspected on no day (R-R3).
	r := b.Must(201, "POST", "/api/v1/renovations", butler, map[string]any{"unit": "3-2-1201", "owner": "业主王女士", "contractor": "美家装饰",
		"description": "厨房改造", "documents": []map[string]string{{"kind": "application", "ref": "ZX-1"}, {"kind": "quality_confirmation", "ref": "QC-1"},
			{"kind": "agreement", "ref": "XY-1"}, {"kind": "fees", "ref": "NO.1"}, {"kind": "department_review", "ref": "工程部审核通过"}}}).JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/renovations/"+r+"/approve", manager, map[string]any{})
	b.Must(200, "POST", "/api/v1/renovations/"+r+"/site-check", butler, map[string]any{"note": "无异常"})
	b.Must(200, "POST", "/api/v1/renovations/"+r+"/briefing", butler, map[string]any{"owner": "业主王女士", "contractor": "美家装饰 张工"})
	b.Must(200, "POST", "/api/v1/renovations/"+r+"/start", butler, map[string]any{})
	// vacant_task_due: a vacant unit with nothing done in March (R-V1).
	b.Must(201, "POST", "/api/v1/vacant-units", butler, map[string]any{"unit": "1-103"})
	// bill_in_arrears (R-F3).
	b.Must(201, "POST", "/api/v1/fees/bills", butler, map[string]any{"unit": "3-2-1202", "period": "2026-03", "due": "2026-03-10",
		"items": []map[string]any{{"name": "物业服务费", "amount_fen": 50000}}})
	// activity_unsummarised: held on the 20th, no summary 3 days on (R-A4).
	a := b.Must(201, "POST", "/api/v1/activities", butler, map[string]any{"title": "邻里节", "date": "2026-03-20",
		"organisation": "客服部", "content": "亲子游戏", "publicity": "公告栏", "budget_fen": 100000, "risks": "儿童走失：专人看护"}).JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/activities/"+a+"/approve", ops, nil)
	b.Must(200, "POST", "/api/v1/activities/"+a+"/approve", quality, nil)

	b.Clock.Set(time.Date(2026, 3, 20, 17, 0, 0, 0, harness.Shanghai))
	b.Must(200, "POST", "/api/v1/activities/"+a+"/hold", butler, map[string]any{"participants": 30})
	// shift_unhandled: a night shift's message nobody handled (R-N1).
	s := b.Must(201, "POST", "/api/v1/shifts", operator, map[string]any{"night": true}).JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/shifts/"+s+"/messages", operator, map[string]any{"from": "5-1-101", "content": "楼下有人喧哗"})
	// return_visit_overdue: an urgent repair's return visit not made in 24 h (R-H3).
	urgent := func() string {
		wo := b.Must(201, "POST", "/api/v1/work-orders", butler, map[string]any{"unit": "1-002", "description": "水管爆裂", "area": "unit",
			"warranty": "in", "urgent": true}).JSON["id"].(string)
		b.Must(200, "POST", "/api/v1/work-orders/"+wo+"/dispatch", butler, map[string]any{"assignee": "e-001"})
		b.Must(200, "POST", "/api/v1/work-orders/"+wo+"/start", engineer, nil)
		b.Must(200, "POST", "/api/v1/work-orders/"+wo+"/complete", engineer, map[string]any{"result": "更换水管"})
		return wo
	}
	late := urgent()
	b.WaitFor("/api/v1/return-visits/"+late, butler, func(m map[string]any) error { return nil })

	// 1 April: everything above is overdue; a return visit falls due now.
	b.Clock.Set(time.Date(2026, 4, 1, 10, 0, 0, 0, harness.Shanghai))
	soon := urgent()
	kinds := []string{"complaint_overdue", "workorder_sla", "return_visit_due", "return_visit_overdue", "key_loan_overdue",
		"inspection_missed", "vacant_task_due", "bill_in_arrears", "activity_unsummarised", "shift_unhandled"}
	got := b.WaitFor("/api/v1/overdue?size=1000", sup, func(m map[string]any) error {
		counts, _ := m["counts"].(map[string]any)
		var missing []string
		for _, k := range kinds {
			if n, _ := counts[k].(float64); n < 1 {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("no %s yet: %v", strings.Join(missing, ", "), counts)
		}
		return nil
	})
	if got["as_of"] != "2026-04-01T10:00:00+08:00" {
		t.Fatalf("as_of %v", got["as_of"])
	}
	items := got["items"].([]any)
	byKind := map[string][]map[string]any{}
	var dues []string
	for _, it := range items {
		m := it.(map[string]any)
		byKind[m["kind"].(string)] = append(byKind[m["kind"].(string)], m)
		dues = append(dues, m["due_at"].(string))
		if m["id"] == "" || m["title"] == "" || m["record"] == "" {
			t.Fatalf("item without id, title or record: %v", m)
		}
	}
	for _, k := range kinds {
		if len(byKind[k]) == 0 {
			t.Errorf("no %s item among %d", k, len(items))
		}
	}
	if !sort.SliceIsSorted(dues, func(i, j int) bool {
		a, _ := time.Parse(time.RFC3339, dues[i])
		b, _ := time.Parse(time.RFC3339, dues[j])
		return a.Before(b)
	}) {
		t.Errorf("items not most overdue first: %v", dues)
	}
	due := byKind["return_visit_due"][0]
	if due["id"] != soon || due["overdue"] != false || due["record"] != "return-visits" {
		t.Errorf("the visit due tomorrow: %v", due)
	}
	if o := byKind["complaint_overdue"][0]; o["id"] != c || o["overdue"] != true || o["district"] != "d1" || o["record"] != "complaints" {
		t.Errorf("the late complaint: %v", o)
	}
	found := false
	for _, o := range byKind["return_visit_overdue"] {
		found = found || o["id"] == late && o["overdue"] == true
	}
	if !found {
		t.Errorf("the late return visit is not among %v", byKind["return_visit_overdue"])
	}
	if o := byKind["shift_unhandled"][0]; o["id"] != s || o["overdue"] != true || o["record"] != "shifts" {
		t.Errorf("the shift: %v", o)
	}
	if o := byKind["activity_unsummarised"][0]; o["id"] != a {
		t.Errorf("the activity: %v", o)
	}
	// The item's record answers at /api/v1/{record}/{id}.
	for _, k := range kinds {
		o := byKind[k][0]
		b.Must(http.StatusOK, "GET", "/api/v1/"+o["record"].(string)+"/"+o["id"].(string), sup, nil)
	}

	// A district's butler sees their district only; kind= and size= narrow.
	mine := b.Must(200, "GET", "/api/v1/overdue?size=1000", butler, nil).JSON
	for _, it := range mine["items"].([]any) {
		if d := it.(map[string]any)["district"]; d != "d1" {
			t.Fatalf("butler of d1 sees %v", it)
		}
	}
	if n := mine["counts"].(map[string]any)["workorder_sla"]; n != float64(0) {
		t.Errorf("butler of d1 counts d2's SLA breach: %v", n)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/overdue?district=d2", butler, nil), 403, "forbidden_scope")
	one := b.Must(200, "GET", "/api/v1/overdue?kind=key_loan_overdue&size=0", sup, nil).JSON
	if len(one["items"].([]any)) != 0 || one["counts"].(map[string]any)["key_loan_overdue"] != float64(1) || len(one["counts"].(map[string]any)) != 1 {
		t.Errorf("kind=key_loan_overdue&size=0: %v", one)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/overdue?kind=late", sup, nil), 400, "invalid_query")
}
