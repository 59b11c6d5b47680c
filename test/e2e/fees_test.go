package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/test/harness"
)

func TestFeeJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	butlerD2 := b.Token("butler", "b-002", "p1", "d2")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	cashier := b.Token("cashier", "c-001", "p1", "")

	// R-F1: the month's plan, split per butler (the supervisor's).
	targets := []map[string]any{{"butler": "b-001", "district": "d1", "target_fen": 100000}, {"butler": "b-002", "district": "d2", "target_fen": 50000}}
	harness.Problem(t, b.Do("POST", "/api/v1/fees/plans", butler, map[string]any{"month": "2026-03", "targets": targets}), 403, "forbidden_role")
	planID := b.Must(201, "POST", "/api/v1/fees/plans", supervisor, map[string]any{"month": "2026-03", "targets": targets}).JSON["id"].(string)
	harness.Problem(t, b.Do("POST", "/api/v1/fees/plans", supervisor, map[string]any{"month": "2026-03", "targets": targets}), 409, "conflict")

	bill := func(unit string, fen int) string {
		return b.Must(201, "POST", "/api/v1/fees/bills", butler, map[string]any{"unit": unit, "period": "2026-03", "due": "2026-03-10",
			"items": []map[string]any{{"name": "物业服务费", "amount_fen": fen}}}).JSON["id"].(string)
	}
	paid := bill("3-2-1201", 36250)
	owing := bill("3-2-1202", 50000)

	// R-F2: no payment without a receipt number.
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+paid+"/payments", cashier, map[string]any{"amount_fen": 36250}), 422, "receipt_missing")
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+paid+"/payments", butlerD2, map[string]any{"amount_fen": 36250, "receipt_no": "R-1"}), 403, "forbidden_scope")
	b.Must(200, "POST", "/api/v1/fees/bills/"+paid+"/payments", cashier, map[string]any{"amount_fen": 36250, "receipt_no": "NO.0001", "method": "wechat"})
	// R-F4: the cashier books what reached the cashier ledger (only the cashier).
	week := cashbook.WeekOf(b.Clock.Now())
	harness.Problem(t, b.Do("POST", "/api/v1/fees/cashier-ledger", butler, map[string]any{"receipt_no": "NO.0001", "amount_fen": 30000}), 403, "forbidden_role")
	b.Must(201, "POST", "/api/v1/fees/cashier-ledger", cashier, map[string]any{"receipt_no": "NO.0001", "amount_fen": 30000, "method": "cash"})
	harness.Problem(t, b.Do("POST", "/api/v1/fees/cashier-ledger", cashier, map[string]any{"receipt_no": "NO.0001", "amount_fen": 30000}), 422, "receipt_booked")
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+paid+"/payments", cashier, map[string]any{"amount_fen": 1, "receipt_no": "NO.0002"}), 422, "bill_paid")

	// R-F3: arrears are chased once the bill is overdue; the policy ages it.
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+owing+"/reminders", butler, map[string]any{"channel": "phone", "note": "电话提醒"}), 422, "not_in_arrears")
	b.Clock.Advance(10 * 24 * time.Hour)
	// Wait for the ageing policy's own event on the bill first: a reminder
	// sent at the same moment would race it for the bill's next revision
	// and rightly get a 409.
	b.WaitFor("/api/v1/fees/bills/"+owing, butler, func(m map[string]any) error {
		if m["arrears_bucket"] != "0-30" {
			return fmt.Errorf("bucket = %v", m["arrears_bucket"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+owing+"/reminders", butler, map[string]any{"channel": "wechat", "note": "微信"}), 422, "unknown_channel")
	b.Must(200, "POST", "/api/v1/fees/bills/"+owing+"/reminders", butler, map[string]any{"channel": "sms", "note": "短信提醒业主缴纳三月物业费"})

	// R-F4: the totals are the records' (36250 fen recorded on the bill, 30000
	// booked by the cashier), not typed in; a mismatch stays open until
	// explained, by the cashier or supervisor.
	harness.Problem(t, b.Do("POST", "/api/v1/fees/reconciliations", cashier, map[string]any{"week": week, "service_ledger_fen": 30000}), 422, "ledger_not_recorded")
	rec := b.Must(201, "POST", "/api/v1/fees/reconciliations", cashier, map[string]any{"week": week}).JSON["id"].(string)
	b.WaitFor("/api/v1/fees/reconciliations/"+rec, cashier, func(m map[string]any) error {
		if m["service_ledger_fen"] != 36250.0 || m["cashier_ledger_fen"] != 30000.0 || m["from_records"] != true {
			return fmt.Errorf("ledgers = %v / %v", m["service_ledger_fen"], m["cashier_ledger_fen"])
		}
		return nil
	})
	kpiIs(t, b, supervisor, "/api/v1/kpis/ledger-mismatches-open", 1, rec)
	harness.Problem(t, b.Do("POST", "/api/v1/fees/reconciliations/"+rec+"/explain", butler, map[string]any{"explanation": "x"}), 403, "forbidden_role")
	b.Must(200, "POST", "/api/v1/fees/reconciliations/"+rec+"/explain", cashier, map[string]any{"explanation": "一笔现金 6250 分次日入账"})
	harness.Problem(t, b.Do("POST", "/api/v1/fees/reconciliations/"+rec+"/explain", cashier, map[string]any{"explanation": "again"}), 422, "already_explained")
	kpiIs(t, b, supervisor, "/api/v1/kpis/ledger-mismatches-open", 0, rec)

	// R-F5: collection against plan, in fen, with the plan and bills behind it.
	want := []string{paid, planID}
	slices.Sort(want)
	m := kpiIs(t, b, supervisor, "/api/v1/kpis/fee-collection-rate?month=2026-03", 36250.0/150000, want...)
	if m["numerator"] != 36250.0 || m["denominator"] != 150000.0 {
		t.Fatalf("collection = %v / %v", m["numerator"], m["denominator"])
	}
	kpiIs(t, b, butler, "/api/v1/kpis/fee-collection-rate?month=2026-03", 0.3625)
	kpiIs(t, b, supervisor, "/api/v1/kpis/fee-arrears-0-30", 1, owing)
	kpiIs(t, b, supervisor, "/api/v1/kpis/fee-arrears-ageing", 1)

	// Search, lists, scope and history.
	b.WaitFor("/api/v1/fees/bills?q=物业服务", butler, func(m map[string]any) error {
		if m["total"] != 2.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
	b.WaitFor("/api/v1/fees/collection?month=2026-03", supervisor, func(m map[string]any) error {
		if m["total"] != 2.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
	harness.Problem(t, b.Do("GET", "/api/v1/fees/bills/"+paid, butlerD2, nil), 404, "not_found")
	hist := historyTypes(t, b, "/api/v1/fees/bills/"+owing, butler)
	if len(hist) != 3 || hist[1]["type"] != "fee.arrears_reminded.v1" && hist[2]["type"] != "fee.arrears_reminded.v1" {
		t.Fatalf("history = %v", hist)
	}
	b.Must(200, "GET", "/api/v1/fees/plans/"+planID, supervisor, nil)
}

// R-F6 over HTTP: the collection team's daily debrief, the fast route
// (直通车) tracked to resolution, and an influential owner in arrears
// handled by guidance (疏导), each measured.
func TestFeeCollectionPractice(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{}) // 2026-03-02 09:00 Shanghai
	butler := b.Token("butler", "b-001", "p1", "d1")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	engineer := b.Token("engineer", "e-001", "p1", "d1")
	analyst := b.Token("analyst", "a-001", "p1", "")

	owing := b.Must(201, "POST", "/api/v1/fees/bills", butler, map[string]any{"unit": "3-2-1201", "period": "2026-03", "due": "2026-03-10",
		"items": []map[string]any{{"name": "物业服务费", "amount_fen": 36250}}}).JSON["id"].(string)

	// The fast route: the owner will not pay while the leak is not fixed, which is the property's duty.
	harness.Problem(t, b.Do("POST", "/api/v1/fees/fast-route", butler, map[string]any{"unit": "3-2-1201", "department": "developer", "obstacle": "x"}), 422, "fast_route_incomplete")
	fr := b.Must(201, "POST", "/api/v1/fees/fast-route", butler, map[string]any{"unit": "3-2-1201", "bill_id": owing,
		"department": "engineering", "obstacle": "业主称卫生间漏水未修，拒缴物业费"}).JSON["id"].(string)
	// The daily debrief discusses it.
	harness.Problem(t, b.Do("POST", "/api/v1/fees/debriefs", butler, map[string]any{"attendees": []string{}, "decisions": "x"}), 422, "debrief_incomplete")
	b.Must(201, "POST", "/api/v1/fees/debriefs", supervisor, map[string]any{"attendees": []string{"b-001", "b-002"},
		"obstacles": []map[string]any{{"unit": "3-2-1201", "bill_id": owing, "description": "漏水未修拒缴", "fast_route_id": fr}},
		"decisions": "工程部三日内修复，修复后管家上门收费"})
	harness.Problem(t, b.Do("POST", "/api/v1/fees/debriefs", supervisor, map[string]any{"attendees": []string{"b-001"}, "decisions": "again"}), 422, "debrief_already_held")
	b.Must(200, "POST", "/api/v1/fees/fast-route/"+fr+"/resolve", engineer, map[string]any{"resolution": "更换防水层，闭水试验合格"})
	harness.Problem(t, b.Do("POST", "/api/v1/fees/fast-route/"+fr+"/resolve", engineer, map[string]any{"resolution": "again"}), 422, "already_resolved")

	// An influential owner in arrears: flagged once overdue, then guided.
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+owing+"/influential", butler, map[string]any{"reason": "业委会委员"}), 422, "not_in_arrears")
	b.Clock.Advance(10 * 24 * time.Hour)
	b.WaitFor("/api/v1/fees/bills/"+owing, butler, func(m map[string]any) error {
		if m["arrears_bucket"] != "0-30" {
			return fmt.Errorf("bucket = %v", m["arrears_bucket"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/fees/bills/"+owing+"/guidance", butler, map[string]any{"note": "上门沟通"}), 422, "not_flagged_influential")
	b.Must(200, "POST", "/api/v1/fees/bills/"+owing+"/influential", butler, map[string]any{"reason": "业委会委员，在业主群带头拒缴"})
	kpiIs(t, b, analyst, "/api/v1/kpis/fee-influential-arrears-guided?month=2026-03", 0, owing)
	b.Must(200, "POST", "/api/v1/fees/bills/"+owing+"/guidance", supervisor, map[string]any{"note": "主管上门说明漏水已修复，业主同意本周缴费"})

	kpiIs(t, b, analyst, "/api/v1/kpis/fee-influential-arrears-guided?month=2026-03", 1, owing)
	kpiIs(t, b, analyst, "/api/v1/kpis/fee-fast-route-resolved-on-time?month=2026-03", 1, fr)
	m := kpiIs(t, b, analyst, "/api/v1/kpis/fee-collection-debriefs?month=2026-03", 1)
	if m["numerator"] != 1.0 {
		t.Fatalf("debriefs = %v", m)
	}
	b.WaitFor("/api/v1/fees/fast-route?status=resolved&q=漏水", supervisor, func(m map[string]any) error {
		if m["total"] != 1.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
}
