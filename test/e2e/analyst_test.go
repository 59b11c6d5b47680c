package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/url"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/butler-pm/butler/test/harness"
)

// A KPI table by district and month answers, in one call, the figure of
// every cell exactly as the KPI's drill-down does; trends follow the same
// figures over months, rounded for display with the exact value kept.
func TestKPITableAndTrends(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{}) // 2026-03-02
	d1 := b.Token("butler", "b-001", "p1", "d1")
	d2 := b.Token("butler", "b-003", "p1", "d2")
	engineer := b.Token("engineer", "e-001", "p1", "")
	analyst := b.Token("analyst", "a-001", "p1", "")
	// A repair in the owner's unit, completed and confirmed; rated on its
	// return visit unless satisfaction is 0.
	repair := func(butler string, unit string, satisfaction int) {
		p := "/api/v1/work-orders/" + b.Must(201, "POST", "/api/v1/work-orders", butler, map[string]any{"unit": unit,
			"description": "厨房水龙头滴水", "area": "unit", "warranty": "in"}).JSON["id"].(string)
		b.Must(200, "POST", p+"/dispatch", butler, map[string]any{"assignee": "e-001"})
		b.Must(200, "POST", p+"/start", engineer, nil)
		b.Must(200, "POST", p+"/complete", engineer, map[string]any{"result": "更换阀芯"})
		b.Must(200, "POST", p+"/confirm", engineer, map[string]any{"signed_by": "业主"})
		if satisfaction > 0 {
			b.Must(200, "POST", p+"/return-visit", butler, map[string]any{"channel": "phone", "satisfaction": satisfaction})
		}
	}
	repair(d1, "1-1-101", 5) // March: d1 rated 5, 4, 4; d2 rated 2, one not visited
	repair(d1, "1-1-102", 4)
	repair(d1, "1-1-103", 4)
	repair(d2, "2-1-101", 2)
	repair(d2, "2-1-102", 0)
	b.Clock.Set(time.Date(2026, 4, 2, 9, 0, 0, 0, harness.Shanghai))
	repair(d1, "1-1-104", 3) // April: d1 rated 3

	const q = "/api/v1/kpis/work-order-return-visit-rate/table?by=district,month&from=2026-03&to=2026-04"
	table := b.WaitFor(q, analyst, func(m map[string]any) error {
		// Every repair and return visit folded (the read model follows the log).
		rows := m["rows"].([]any)
		if len(rows) != 4 {
			return fmt.Errorf("rows %v", m["rows"])
		}
		for i, w := range [][2]float64{{3, 3}, {1, 1}, {1, 2}, {0, 0}} {
			if r := rows[i].(map[string]any); r["numerator"] != w[0] || r["denominator"] != w[1] {
				return fmt.Errorf("rows %v", m["rows"])
			}
		}
		return nil
	})
	if table["kpi"] != "work-order-return-visit-rate" || table["title"] != "工单回访率" || table["target"] != float64(1) || table["higher_is_better"] != true {
		t.Fatalf("table head: %v", table)
	}
	want := []struct {
		district, month string
		num, den        float64
		value           any
	}{{"d1", "2026-03", 3, 3, float64(1)}, {"d1", "2026-04", 1, 1, float64(1)}, {"d2", "2026-03", 1, 2, 0.5}, {"d2", "2026-04", 0, 0, nil}}
	for i, row := range table["rows"].([]any) {
		r, w := row.(map[string]any), want[i]
		if r["district"] != w.district || r["month"] != w.month || r["numerator"] != w.num || r["denominator"] != w.den || r["value"] != w.value {
			t.Errorf("row %d = %v, want %+v", i, r, w)
		}
		// Each cell is the drill-down's figure.
		dd := b.Must(200, "GET", "/api/v1/kpis/work-order-return-visit-rate?district="+w.district+"&month="+w.month, analyst, nil).JSON
		if dd["numerator"] != r["numerator"] || dd["denominator"] != r["denominator"] || dd["value"] != r["value"] {
			t.Errorf("row %d = %v, drill-down %v", i, r, dd)
		}
	}
	// Without the month: the months from..to summed.
	byDistrict := b.Must(200, "GET", "/api/v1/kpis/work-order-return-visit-rate/table?by=district&from=2026-03&to=2026-04", analyst, nil).JSON["rows"].([]any)
	if r := byDistrict[0].(map[string]any); r["district"] != "d1" || r["numerator"] != float64(4) || r["denominator"] != float64(4) || r["value"] != float64(1) {
		t.Errorf("d1 over March and April: %v", r)
	}
	if r := byDistrict[1].(map[string]any); r["district"] != "d2" || r["numerator"] != float64(1) || r["denominator"] != float64(2) || r["value"] != 0.5 {
		t.Errorf("d2 over March and April: %v", r)
	}
	// A butler sees their district; a KPI without butlers refuses by=butler.
	mine := b.Must(200, "GET", q, d2, nil).JSON["rows"].([]any)
	if len(mine) != 2 || mine[0].(map[string]any)["district"] != "d2" {
		t.Errorf("d2's butler sees %v", mine)
	}
	byButler := b.Must(200, "GET", "/api/v1/kpis/work-order-return-visit-rate/table?by=butler&from=2026-03&to=2026-03", analyst, nil).JSON["rows"].([]any)
	if len(byButler) != 2 || byButler[0].(map[string]any)["butler"] != "b-001" || byButler[1].(map[string]any)["butler"] != "b-003" {
		t.Errorf("by butler: %v", byButler)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/kpis/key-supervisor-weekly-checks/table?by=butler", analyst, nil), 400, "dimension_not_supported")
	harness.Problem(t, b.Do("GET", "/api/v1/kpis/keys-on-loan-past-due/table?by=month", analyst, nil), 400, "dimension_not_supported")
	harness.Problem(t, b.Do("GET", "/api/v1/kpis/work-order-return-visit-rate/table?by=weather", analyst, nil), 400, "invalid_query")
	harness.Problem(t, b.Do("GET", "/api/v1/kpis/work-order-return-visit-rate/table?from=March", analyst, nil), 400, "invalid_query")
	harness.Problem(t, b.Do("GET", "/api/v1/kpis/nothing/table", analyst, nil), 404, "unknown_kpi")

	// The table as CSV: a row per cell, Chinese headers, a BOM.
	r := b.Do("GET", q+"&format=csv", analyst, nil)
	if r.Status != 200 || !bytes.HasPrefix(r.Raw, []byte("\ufeff")) {
		t.Fatalf("CSV: %d %q", r.Status, r.Raw)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Raw, []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) != 5 || recs[0][0] != "片区" || recs[0][1] != "月份" || recs[0][2] != "数值" || recs[1][4] != "3" || recs[3][2] != "0.5" {
		t.Fatalf("CSV table: %v %v", recs, err)
	}

	// Satisfaction by month and district: d1's March mean 13/3.
	sat := b.Must(200, "GET", "/api/v1/trends/satisfaction?by=month,district&from=2026-03&to=2026-04", analyst, nil).JSON
	series := sat["series"].([]any)
	if len(series) != 2 {
		t.Fatalf("series %v", series)
	}
	d1s := series[0].(map[string]any)
	pts := d1s["points"].([]any)
	march, april := pts[0].(map[string]any), pts[1].(map[string]any)
	if d1s["group"].(map[string]any)["district"] != "d1" || march["month"] != "2026-03" || march["value"] != 4.33 ||
		math.Abs(march["exact"].(float64)-13.0/3) > 1e-9 || march["count"] != float64(3) || april["value"] != float64(3) {
		t.Fatalf("d1's satisfaction: %v", d1s)
	}
	if sat["scale"] != "1-5" || fmt.Sprint(sat["by"]) != "[month district]" {
		t.Fatalf("trend head: %v", sat)
	}
	// Any KPI over months, by district.
	kt := b.Must(200, "GET", "/api/v1/trends/work-order-return-visit-rate?by=district&from=2026-03&to=2026-04", analyst, nil).JSON
	p := kt["series"].([]any)[1].(map[string]any)["points"].([]any)[0].(map[string]any)
	if p["value"] != 0.5 || p["numerator"] != float64(1) || p["denominator"] != float64(2) || kt["title"] != "工单回访率" {
		t.Fatalf("KPI trend point of d2 in March: %v", p)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/trends/sunshine", analyst, nil), 404, "unknown_metric")
	harness.Problem(t, b.Do("GET", "/api/v1/trends/satisfaction?source=weather", analyst, nil), 400, "invalid_query")

	// The trend as XLSX, opened by a spreadsheet library.
	r = b.Do("GET", "/api/v1/trends/satisfaction?by=district&from=2026-03&to=2026-04", analyst, nil,
		"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	f, err := excelize.OpenReader(bytes.NewReader(r.Raw))
	if err != nil {
		t.Fatalf("XLSX trend: %d %v", r.Status, err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 5 || rows[0][0] != "片区" || rows[1][0] != "d1" || rows[1][2] != "4.33" || rows[3][2] != "2" {
		t.Fatalf("XLSX trend rows: %v %v", rows, err)
	}
}

// Lists answer size=0 with the total and facets only; every list exports as
// CSV and XLSX with as many rows as its total, and histories export too.
func TestListCountsAndExports(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	sup := b.Token("supervisor", "s-001", "p1", "")
	var last string
	for i := 0; i < 7; i++ {
		cat := []string{"漏水", "噪音"}[i%2]
		last = b.Must(201, "POST", "/api/v1/complaints", butler, map[string]any{"unit": fmt.Sprintf("1-1-%d01", i+1), "owner": "陈静",
			"phone": "13500004444", "category": cat, "description": "业主反映" + cat, "soothing": "已安抚"}).JSON["id"].(string)
	}
	b.Must(200, "POST", "/api/v1/complaints/"+last+"/dispatch", butler, map[string]any{"assignee": "e-001"})
	count := b.WaitFor("/api/v1/complaints?size=0&facets=true", sup, func(m map[string]any) error {
		if m["total"] != float64(7) {
			return fmt.Errorf("total %v", m["total"])
		}
		return nil
	})
	if items := count["items"].([]any); len(items) != 0 || count["cursor"] != nil {
		t.Fatalf("size=0 answered items: %v", count)
	}
	if cats := count["facets"].(map[string]any)["category"].([]any); len(cats) != 2 {
		t.Fatalf("facets: %v", count["facets"])
	}
	harness.Problem(t, b.Do("GET", "/api/v1/complaints?size=-1", sup, nil), 400, "invalid_query")

	for _, filter := range []string{"", "category=" + url.QueryEscape("漏水") + "&"} {
		total := b.Must(200, "GET", "/api/v1/complaints?size=0&"+filter, sup, nil).JSON["total"].(float64)
		r := b.Do("GET", "/api/v1/complaints?"+filter+"format=csv", sup, nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(r.Raw, []byte("\ufeff")) {
			t.Fatalf("CSV export: %d %v", r.Status, r.Header)
		}
		if cd := r.Header.Get("Content-Disposition"); !bytes.HasPrefix([]byte(cd), []byte(`attachment; filename="complaints-`)) {
			t.Fatalf("Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Raw, []byte("\ufeff")))).ReadAll()
		if err != nil || float64(len(recs)-1) != total {
			t.Fatalf("CSV export of %q: %d rows for a total of %v (%v)", filter, len(recs)-1, total, err)
		}
		if recs[0][0] != "编号" || !contains(recs[0], "类别") || !contains(recs[0], "业主") {
			t.Fatalf("CSV headers %v", recs[0])
		}
		// The supervisor sees owners; the export shows them as the list does.
		if !contains(recs[1], "陈静") {
			t.Fatalf("CSV row without the owner: %v", recs[1])
		}
	}
	r := b.Do("GET", "/api/v1/complaints", sup, nil, "Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	f, err := excelize.OpenReader(bytes.NewReader(r.Raw))
	if err != nil {
		t.Fatalf("XLSX export: %d %v", r.Status, err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 8 || rows[0][0] != "编号" || !contains(rows[0], "状态") {
		t.Fatalf("XLSX export: %d rows, headers %v (%v)", len(rows), rows[0], err)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/complaints?format=pdf", sup, nil), 400, "invalid_query")
	harness.Problem(t, b.Do("GET", "/api/v1/households?format=csv", sup, nil), 400, "export_not_supported")

	// A record's history: a row per event.
	h := b.Do("GET", "/api/v1/complaints/"+last+"/history?format=csv", sup, nil)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(h.Raw, []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) != 3 || recs[0][3] != "事件类型" || recs[1][3] != "complaint.registered.v2" {
		t.Fatalf("history CSV: %v %v", recs, err)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
