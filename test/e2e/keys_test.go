package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/test/harness"
)

// kpiIs polls a KPI until it has the value and records wanted.
func kpiIs(t *testing.T, b *harness.Butler, tok, path string, value float64, records ...string) map[string]any {
	t.Helper()
	return b.WaitFor(path, tok, func(m map[string]any) error {
		v, _ := m["value"].(float64)
		got := fmt.Sprint(m["records"])
		if v != value || (records != nil && got != fmt.Sprint(records)) {
			return fmt.Errorf("%s = %v records %v, want %v %v", path, m["value"], got, value, records)
		}
		return nil
	})
}

func TestKeyJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	custodian := b.Token("custodian", "k-001", "p1", "")
	butler := b.Token("butler", "b-001", "p1", "d1")
	butlerD2 := b.Token("butler", "b-002", "p1", "d2")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	manager := b.Token("project_manager", "m-001", "p1", "")
	start := b.Clock.Now()

	// R-K1: only the custodian registers tagged keys.
	harness.Problem(t, b.Do("POST", "/api/v1/keys", butler, map[string]any{"unit": "3-2-1201", "tag": "K-001"}), 403, "forbidden_role")
	k1 := b.Must(201, "POST", "/api/v1/keys", custodian, map[string]any{"unit": "3-2-1201", "tag": "K-001", "district": "d1"}).JSON["id"].(string)
	k2 := b.Must(201, "POST", "/api/v1/keys", custodian, map[string]any{"unit": "3-2-1202", "tag": "K-002", "district": "d1"}).JSON["id"].(string)

	// R-K2: lending needs the owner's signature, only the custodian lends, and never twice.
	loan := map[string]any{"borrower": "装修工李师傅", "purpose": "装修进场", "authorised_by": "业主王女士", "authorisation_ref": "SQ-2026-017",
		"due": start.Add(8 * time.Hour).Format(time.RFC3339)}
	harness.Problem(t, b.Do("POST", "/api/v1/keys/"+k1+"/lend", butler, loan), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/keys/"+k1+"/lend", custodian, map[string]any{"borrower": "李师傅", "due": "2026-03-02"}), 422, "owner_authorisation_missing")
	b.Must(200, "POST", "/api/v1/keys/"+k1+"/lend", custodian, loan)
	harness.Problem(t, b.Do("POST", "/api/v1/keys/"+k1+"/lend", custodian, loan), 422, "key_on_loan")
	b.Must(200, "POST", "/api/v1/keys/"+k2+"/lend", custodian, map[string]any{"borrower": "保洁员", "authorised_by": "业主赵先生", "authorisation_ref": "SQ-2026-018", "due": "2026-03-02"})
	b.Must(200, "POST", "/api/v1/keys/"+k2+"/return", custodian, map[string]any{})
	harness.Problem(t, b.Do("POST", "/api/v1/keys/"+k2+"/return", custodian, map[string]any{}), 422, "key_not_on_loan")

	// R-K3: today's reconciliation by the custodian only, against the
	// ledger the key register gives: 2 registered, k1 on loan, so 1 in the
	// cabinet; a ledger typed in that says otherwise is refused.
	// k2 is in custody both before its loan and after its return: wait for
	// the return itself (revision 2), which the key register folds after k1's loan.
	b.WaitFor("/api/v1/keys/"+k2, custodian, func(m map[string]any) error {
		if m["status"] != "in_custody" || m["revision"] != 2.0 {
			return fmt.Errorf("status = %v at revision %v; want in_custody after the return (2)", m["status"], m["revision"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/keys/reconciliations", butler, map[string]any{"counted": 1}), 403, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/keys/reconciliations", custodian, map[string]any{"ledger": 999, "counted": 1}), 422, "ledger_not_register")
	day1 := b.Must(201, "POST", "/api/v1/keys/reconciliations", custodian, map[string]any{"counted": 1}).JSON["id"].(string)
	if day1 != commands.KeyDayID("p1", reconcile.DayOf(start)) {
		t.Fatalf("reconciliation id %s", day1)
	}
	b.WaitFor("/api/v1/keys/reconciliations/"+day1, custodian, func(m map[string]any) error {
		if m["ledger"] != 1.0 || m["discrepancy"] != false {
			return fmt.Errorf("ledger = %v, discrepancy = %v; want the register's 1 and none", m["ledger"], m["discrepancy"])
		}
		return nil
	})

	// Ten hours on, k1 is past due; two days on, the unreconciled 3 March is recorded missed.
	b.Clock.Advance(10 * time.Hour)
	b.WaitFor("/api/v1/keys/"+k1, custodian, func(m map[string]any) error {
		if m["loan_overdue"] != true {
			return fmt.Errorf("loan_overdue = %v", m["loan_overdue"])
		}
		return nil
	})
	b.Clock.Advance(48 * time.Hour)
	day2 := commands.KeyDayID("p1", reconcile.DayOf(start.Add(24*time.Hour)))
	b.WaitFor("/api/v1/keys/reconciliations/"+day2, custodian, func(m map[string]any) error {
		if m["missed"] != true {
			return fmt.Errorf("missed = %v", m["missed"])
		}
		return nil
	})
	// Today a key is missing from the count: a discrepancy.
	harness.Problem(t, b.Do("POST", "/api/v1/keys/reconciliations", custodian, map[string]any{"counted": 0, "missing_tags": []string{"K-001", "K-002"}}), 422, "missing_tags_unequal")
	day3 := b.Must(201, "POST", "/api/v1/keys/reconciliations", custodian, map[string]any{"counted": 0, "missing_tags": []string{"K-002"}}).JSON["id"].(string)
	b.Must(201, "POST", "/api/v1/keys/supervisor-checks", supervisor, map[string]any{"matches": false, "note": "K-002 不在钥匙柜"})

	// R-K4: the loss is approved by the project manager, who names who is accountable.
	b.Must(200, "POST", "/api/v1/keys/"+k2+"/report-loss", butler, map[string]any{"note": "钥匙柜中找不到K-002"})
	harness.Problem(t, b.Do("POST", "/api/v1/keys/"+k2+"/approve-loss", supervisor, map[string]any{"accountable": "k-001"}), 403, "forbidden_role")
	b.Must(200, "POST", "/api/v1/keys/"+k2+"/approve-loss", manager, map[string]any{"accountable": "k-001", "note": "照价赔偿并换锁"})
	harness.Problem(t, b.Do("POST", "/api/v1/keys/"+k2+"/lend", custodian, loan), 422, "key_lost")

	// The KPIs, each with the records behind it.
	kpiIs(t, b, supervisor, "/api/v1/kpis/keys-lost?month=2026-03", 1, k2)
	kpiIs(t, b, supervisor, "/api/v1/kpis/keys-on-loan-past-due", 1, k1)
	done := []string{day1, day3}
	slices.Sort(done)
	all := append([]string{day2}, done...)
	slices.Sort(all)
	m := kpiIs(t, b, supervisor, "/api/v1/kpis/key-reconciliation-compliance?month=2026-03", 2.0/3, all...)
	if fmt.Sprint(m["numerator_records"]) != fmt.Sprint(done) {
		t.Fatalf("reconciled days = %v, want %v", m["numerator_records"], done)
	}
	kpiIs(t, b, supervisor, "/api/v1/kpis/key-reconciliation-discrepancies?month=2026-03", 1)

	// Search (Chinese), scope and history. The owner who authorised a loan
	// is sealed in the household (R-D3): no search finds the name.
	b.WaitFor("/api/v1/keys?q=李师傅", custodian, func(m map[string]any) error {
		if m["total"] != 1.0 {
			return fmt.Errorf("total = %v", m["total"])
		}
		return nil
	})
	if r := b.Must(200, "GET", "/api/v1/keys?q=王女士", custodian, nil); r.JSON["total"] != 0.0 {
		t.Fatalf("the authorising owner's name is searchable: %s", r.Raw)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/keys/"+k1, butlerD2, nil), 404, "not_found")
	hist := historyTypes(t, b, "/api/v1/keys/"+k2, butler)
	if len(hist) != 5 || hist[4]["type"] != "key.loss_approved.v1" {
		t.Fatalf("history = %v", hist)
	}
}
