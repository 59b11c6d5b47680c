package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/butler-pm/butler/projections"
)

// An export pages through the whole search, past one page (1,000): the
// CSV has a row per record of the list's total, the XLSX too, with the
// Chinese headers.
func TestExportPagesThroughTheWholeList(t *testing.T) {
	t.Parallel()
	var store projections.SearchStore
	h := newTestAPI(t, func(d *Deps) { store = d.Reads.(slowReads).ReadModels.(projections.SearchStore) })
	var docs []projections.Document
	for i := 0; i < 2499; i++ {
		id := fmt.Sprintf("0190a1b2-0000-7000-8000-%012d", i+2)
		cat := []string{"漏水", "噪音", "保洁"}[i%3]
		docs = append(docs, projections.Document{ID: id, Version: 1, Source: []byte(fmt.Sprintf(
			`{"id":%q,"project":"p1","district":"d%d","status":"registered","category":%q,"description":"=1+1 %s","registered_at":"2026-03-02T01:00:00Z","return_visited":false}`,
			id, 1+i%2, cat, cat))})
	}
	if err := store.Write(context.Background(), projections.ComplaintsIndex, docs, 2); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/v1/complaints", "/api/v1/complaints?category=噪音&district=d1"} {
		list := serve(h, "GET", target+sep(target)+"size=0", "sup", "")
		var total int
		if _, err := fmt.Sscanf(list.Body.String()[bytes.Index(list.Body.Bytes(), []byte(`"total":`))+8:], "%d", &total); err != nil || total == 0 {
			t.Fatalf("%s: %s", target, list.Body)
		}
		w := serve(h, "GET", target+sep(target)+"format=csv", "sup", "")
		body := w.Body.Bytes()
		if w.Code != 200 || !bytes.HasPrefix(body, []byte("\ufeff")) {
			t.Fatalf("%s: %d %.200s", target, w.Code, body)
		}
		recs, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil || len(recs)-1 != total {
			t.Fatalf("%s: %d CSV rows, the list's total is %d (%v)", target, len(recs)-1, total, err)
		}
		// Text a spreadsheet would run as a formula is quoted.
		col, quoted := indexOf(recs[0], "描述"), 0
		for _, r := range recs[1:] {
			if col >= 0 && bytes.HasPrefix([]byte(r[col]), []byte("'=1+1")) {
				quoted++
			}
		}
		if quoted == 0 {
			t.Fatalf("no description quoted; headers %v, row %v", recs[0], recs[1])
		}
		x := serve(h, "GET", target, "sup", "", "Accept", mimeXLSX)
		f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s: XLSX: %d %v", target, x.Code, err)
		}
		rows, err := f.GetRows("Sheet1")
		if err != nil || len(rows)-1 != total || rows[0][0] != "编号" || indexOf(rows[0], "类别") < 0 || indexOf(rows[0], "已回访") < 0 {
			t.Fatalf("%s: XLSX %d rows for %d, headers %v (%v)", target, len(rows)-1, total, rows[0], err)
		}
		no := 0
		for _, r := range rows[1:] {
			if col := indexOf(rows[0], "已回访"); col < len(r) && r[col] == "否" {
				no++
			}
		}
		if no == 0 {
			t.Fatalf("no yes/no cell reads 否: %v", rows[1])
		}
	}
}

func sep(target string) string {
	if bytes.ContainsRune([]byte(target), '?') {
		return "&"
	}
	return "?"
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// A large list sorted by a date is read in windows of that date: every
// record comes once, in the list's order, those without the date too.
func TestExportReadsALargeListInDateWindows(t *testing.T) {
	t.Parallel()
	var store projections.SearchStore
	h := newTestAPI(t, func(d *Deps) { store = d.Reads.(slowReads).ReadModels.(projections.SearchStore) })
	const n = 9000
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []projections.Document
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("0190a1b2-0000-7000-8000-%012d", i+2)
		// Uneven: most records in the last days, some at one instant.
		at := base.Add(time.Duration(i*i/50) * time.Second)
		if i%500 == 0 {
			at = base.Add(time.Hour)
		}
		date := fmt.Sprintf(`,"registered_at":%q`, at.Format(time.RFC3339Nano))
		if i%1000 == 7 {
			date = "" // no date: in no window
		}
		docs = append(docs, projections.Document{ID: id, Version: 1, Source: []byte(fmt.Sprintf(
			`{"id":%q,"project":"p1","district":"d1","status":"registered","category":"漏水"%s}`, id, date))})
	}
	if err := store.Write(context.Background(), projections.ComplaintsIndex, docs, 2); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []string{"", "&sort=registered_at"} {
		w := serve(h, "GET", "/api/v1/complaints?format=csv"+sort, "sup", "")
		recs, err := csv.NewReader(bytes.NewReader(w.Body.Bytes()[3:])).ReadAll()
		if err != nil || len(recs)-1 != n+1 {
			t.Fatalf("sort %q: %d rows, want %d (%v)", sort, len(recs)-1, n+1, err)
		}
		id, at := indexOf(recs[0], "编号"), indexOf(recs[0], "登记时间")
		seen := map[string]bool{}
		prev := ""
		for _, r := range recs[1:] {
			if seen[r[id]] {
				t.Fatalf("sort %q: %s twice", sort, r[id])
			}
			seen[r[id]] = true
			if r[at] == "" {
				continue
			}
			if prev != "" && (sort == "" && r[at] > prev || sort != "" && r[at] < prev) {
				t.Fatalf("sort %q: %s after %s", sort, r[at], prev)
			}
			prev = r[at]
		}
	}
}
