package e2e

import (
	"fmt"
	"testing"

	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/test/harness"
)

func TestMoveInJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	butlerD2 := b.Token("butler", "b-002", "p1", "d2")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	cashier := b.Token("cashier", "c-001", "p1", "")
	engineer := b.Token("engineer", "e-001", "p1", "")

	id := b.Must(201, "POST", "/api/v1/move-ins", butler, map[string]any{"unit": "3-2-1201", "owner": "业主王女士"}).JSON["id"].(string)
	other := b.Must(201, "POST", "/api/v1/move-ins", butler, map[string]any{"unit": "3-2-1202", "owner": "业主赵先生"}).JSON["id"].(string)
	p := "/api/v1/move-ins/" + id
	unit := "/api/v1/units/" + projections.UnitID("p1", "3-2-1201")
	status := func(want string) {
		t.Helper()
		b.WaitFor(unit, butler, func(m map[string]any) error {
			if m["status"] != want {
				return fmt.Errorf("status = %v, want %s", m["status"], want)
			}
			return nil
		})
	}
	status("vacant")

	// R-M1: each step recorded; the keys are handed over last.
	b.Must(200, "POST", p+"/documents-reviewed", butler, map[string]any{"note": "身份证、购房合同原件已核"})
	harness.Problem(t, b.Do("POST", p+"/keys-handed-over", butler, map[string]any{"keys": []string{"K-001"}}), 422, "steps_incomplete")
	harness.Problem(t, b.Do("POST", p+"/fees-collected", cashier, map[string]any{"receipts": []string{}}), 422, "receipts_missing")
	// R-M3: the move-in's fees are a bill's payment, its receipt linked to the bill.
	bill := b.Must(201, "POST", "/api/v1/fees/bills", cashier, map[string]any{"unit": "3-2-1201", "period": "2026-03", "due": "2026-03-10",
		"butler": "b-001", "district": "d1", "items": []map[string]any{{"name": "物业服务费", "amount_fen": 36250}}}).JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/fees/bills/"+bill+"/payments", cashier, map[string]any{"amount_fen": 36250, "receipt_no": "NO.0101"})
	b.WaitFor("/api/v1/fees/bills/"+bill, cashier, func(m map[string]any) error {
		if m["status"] != "paid" {
			return fmt.Errorf("bill status = %v", m["status"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", p+"/fees-collected", cashier, map[string]any{"receipts": []string{"NO.9999"}}), 422, "receipt_not_billed")
	b.Must(200, "POST", p+"/fees-collected", cashier, map[string]any{"receipts": []string{"NO.0101"}})
	b.WaitFor(p, butler, func(m map[string]any) error {
		if fmt.Sprint(m["bills"]) != "["+bill+"]" {
			return fmt.Errorf("bills = %v", m["bills"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", p+"/agreements-signed", butler, map[string]any{"agreements": []string{"decoration_agreement"}}), 422, "agreement_missing")
	b.Must(200, "POST", p+"/agreements-signed", butler, map[string]any{"agreements": []string{"preliminary_property_service_agreement"}})
	b.Must(200, "POST", p+"/forms-filled", butler, map[string]any{"forms": []string{"owner_information"}, "photos": []string{"photo-101"}})
	b.Must(200, "POST", p+"/unit-inspected", butler, map[string]any{"defects": []string{"客厅墙面空鼓", "卫生间地漏反水"}, "note": "陪同业主验房"})
	harness.Problem(t, b.Do("POST", p+"/keys-handed-over", butlerD2, map[string]any{"keys": []string{"K-001"}}), 403, "forbidden_scope")
	b.Must(200, "POST", p+"/keys-handed-over", butler, map[string]any{"keys": []string{"K-001", "K-002"}})
	status("handed_over")

	// R-M2: defects go to the developer and are tracked until resolved.
	kpiIs(t, b, supervisor, "/api/v1/kpis/move-in-defects-open", 2, id+"-d1", id+"-d2")
	harness.Problem(t, b.Do("POST", p+"/defects/resolve", engineer, map[string]any{"defect_id": "d1"}), 422, "defect_not_handed_over")
	b.Must(200, "POST", p+"/defects/hand-over", butler, map[string]any{"defect_id": "d1", "developer_ref": "FC-2026-088"})
	b.Must(200, "POST", p+"/defects/resolve", engineer, map[string]any{"defect_id": "d1", "note": "空鼓已返修"})
	m := kpiIs(t, b, supervisor, "/api/v1/kpis/move-in-defects-open", 1, id+"-d1", id+"-d2")
	if fmt.Sprint(m["numerator_records"]) != fmt.Sprint([]string{id + "-d2"}) {
		t.Fatalf("open defects = %v", m["numerator_records"])
	}
	// One of two move-ins completed every step.
	want := []string{id, other}
	if id > other {
		want = []string{other, id}
	}
	kpiIs(t, b, supervisor, "/api/v1/kpis/move-in-steps-completed?month=2026-03", 0.5, want...)

	// The owner renovates, then moves in: 房态 renovating → occupied.
	r := b.Must(201, "POST", "/api/v1/renovations", butler, map[string]any{"unit": "3-2-1201", "owner": "业主王女士", "contractor": "美家装饰",
		"description": "墙面翻新", "documents": []map[string]string{{"kind": "application", "ref": "a"}, {"kind": "quality_confirmation", "ref": "q"},
			{"kind": "agreement", "ref": "x"}, {"kind": "fees", "ref": "f"}, {"kind": "department_review", "ref": "d"}}}).JSON["id"].(string)
	rp := "/api/v1/renovations/" + r
	b.Must(200, "POST", rp+"/approve", supervisor, map[string]any{})
	b.Must(200, "POST", rp+"/site-check", butler, map[string]any{"note": "ok"})
	b.Must(200, "POST", rp+"/briefing", butler, map[string]any{"owner": "业主王女士", "contractor": "美家装饰"})
	b.Must(200, "POST", rp+"/start", butler, map[string]any{})
	status("renovating")
	b.Must(200, "POST", rp+"/complete", butler, map[string]any{})
	b.Must(200, "POST", rp+"/acceptance", engineer, map[string]any{"findings": []string{"卫生间闭水试验渗漏"}})
	// R-R5: the owner does not move in while the completion inspection's problem is unfixed.
	b.WaitFor(rp, butler, func(m map[string]any) error {
		if m["status"] != "accepting" {
			return fmt.Errorf("status = %v", m["status"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/move-ins/"+id+"/occupied", butler, map[string]any{}), 422, "unit_under_renovation")
	b.Must(200, "POST", rp+"/findings/fix", engineer, map[string]any{"finding": 0, "note": "重做防水"})
	b.Must(200, "POST", rp+"/close", butler, map[string]any{})
	status("occupied")
	b.Must(200, "POST", "/api/v1/move-ins/"+id+"/occupied", butler, map[string]any{})

	// Search, lists, scope, history.
	b.WaitFor("/api/v1/move-ins?q=地漏", butler, func(m map[string]any) error {
		if m["total"] != 1.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
	b.WaitFor("/api/v1/units?status=occupied", supervisor, func(m map[string]any) error {
		if m["total"] != 1.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
	harness.Problem(t, b.Do("GET", p, butlerD2, nil), 404, "not_found")
	if h := historyTypes(t, b, p, supervisor); len(h) != 11 { // the steps and defects, the receipts linked to their bill, the occupancy
		t.Fatalf("history has %d events", len(h))
	}
}
