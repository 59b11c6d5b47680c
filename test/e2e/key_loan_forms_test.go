package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/test/harness"
)

// R-K5 over HTTP: lending a key files its loan form into the owner's
// archive of the unit (and the return after it); a unit without an archive
// leaves the loan pending, visible in a list filter and a KPI. R-K3: the
// supervisor's weekly check is measured per week of the month.
func TestKeyLoanFormsGoIntoTheOwnersArchive(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	custodian := b.Token("custodian", "k-001", "p1", "")
	archivist := b.Token("archivist", "ar-001", "p1", "")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	start := b.Clock.Now()

	arc := b.Must(http.StatusCreated, "POST", "/api/v1/archives", archivist, map[string]any{"household": "3-2-1201", "owner": "王女士", "district": "d1"}).JSON["id"].(string)
	k1 := b.Must(http.StatusCreated, "POST", "/api/v1/keys", custodian, map[string]any{"unit": "3-2-1201", "tag": "K-001", "district": "d1"}).JSON["id"].(string)
	k2 := b.Must(http.StatusCreated, "POST", "/api/v1/keys", custodian, map[string]any{"unit": "5-1-0302", "tag": "K-002", "district": "d1"}).JSON["id"].(string)
	due := start.Add(8 * time.Hour).Format(time.RFC3339)
	b.Must(http.StatusOK, "POST", "/api/v1/keys/"+k1+"/lend", custodian, map[string]any{"borrower": "装修工李师傅", "authorised_by": "业主王女士",
		"authorisation_ref": "SQ-2026-017", "due": due})
	b.Must(http.StatusOK, "POST", "/api/v1/keys/"+k2+"/lend", custodian, map[string]any{"borrower": "保洁员", "authorised_by": "业主赵先生",
		"authorisation_ref": "SQ-2026-018", "due": due})

	catalogue := func(want int) []any {
		var entries []any
		b.WaitFor("/api/v1/archives/"+arc, archivist, func(m map[string]any) error {
			rec, _ := m["record"].(map[string]any)
			entries, _ = rec["catalogue"].([]any)
			if len(entries) != want {
				return fmt.Errorf("catalogue = %v", entries)
			}
			return nil
		})
		return entries
	}
	e := catalogue(1)[0].(map[string]any)
	if e["kind"] != "key_loan_form" || e["key_id"] != k1 || e["authorisation_ref"] != "SQ-2026-017" || e["authorised_by"] != nil ||
		e["borrower"] != "装修工李师傅" || e["stage"] != "lent" || e["lent_at"] == nil || e["due"] == nil {
		t.Fatalf("catalogue entry = %v (who authorised is sealed in the household's key, not shown: R-D3)", e)
	}
	b.WaitFor("/api/v1/keys/"+k1, custodian, func(m map[string]any) error {
		loans, _ := m["loans"].([]any)
		if m["loan_forms_unfiled"] != false || len(loans) != 1 || loans[0].(map[string]any)["form_filed"] != true ||
			loans[0].(map[string]any)["form_archive_id"] != arc {
			return fmt.Errorf("key = %v", m)
		}
		return nil
	})

	// The unit of k2 has no archive: its form waits, and shows.
	b.WaitFor("/api/v1/keys?loan_forms_unfiled=true", custodian, func(m map[string]any) error {
		items, _ := m["items"].([]any)
		if m["total"] != 1.0 || items[0].(map[string]any)["id"] != k2 {
			return fmt.Errorf("unfiled = %v", m)
		}
		return nil
	})
	res := kpiIs(t, b, supervisor, "/api/v1/kpis/key-loan-forms-unfiled", 1)
	if fmt.Sprint(res["numerator_records"]) != fmt.Sprint([]string{k2}) {
		t.Fatalf("unfiled records = %v", res["numerator_records"])
	}

	// Once the unit's archive is opened, the waiting form is filed there.
	arc2 := b.Must(http.StatusCreated, "POST", "/api/v1/archives", archivist, map[string]any{"household": "5-1-0302", "owner": "赵先生", "district": "d1"}).JSON["id"].(string)
	b.WaitFor("/api/v1/keys/"+k2, custodian, func(m map[string]any) error {
		loans, _ := m["loans"].([]any)
		if m["loan_forms_unfiled"] != false || len(loans) != 1 || loans[0].(map[string]any)["form_archive_id"] != arc2 {
			return fmt.Errorf("key = %v", m)
		}
		return nil
	})
	kpiIs(t, b, supervisor, "/api/v1/kpis/key-loan-forms-unfiled", 0)

	// The return is filed as its own entry.
	b.Must(http.StatusOK, "POST", "/api/v1/keys/"+k1+"/return", custodian, map[string]any{})
	if e := catalogue(2)[1].(map[string]any); e["stage"] != "returned" || e["returned_at"] == nil {
		t.Fatalf("return entry = %v", e)
	}

	// R-K3: one supervisor check this week: one week of the month's.
	b.Must(http.StatusCreated, "POST", "/api/v1/keys/supervisor-checks", supervisor, map[string]any{"matches": true})
	local := start.In(reconcile.Zone)
	monday := local.AddDate(0, 0, -((int(local.Weekday()) + 6) % 7))
	month := monday.Format("2006-01")
	weeks := 0
	for d := time.Date(monday.Year(), monday.Month(), 1, 12, 0, 0, 0, reconcile.Zone); d.Format("2006-01") == month; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Monday {
			weeks++
		}
	}
	kpiIs(t, b, supervisor, "/api/v1/kpis/key-supervisor-weekly-checks?month="+month, 1/float64(weeks),
		commands.KeyDayID("p1", reconcile.DayOf(start)))
}
