package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/projections"
	"github.com/butler-pm/butler/test/harness"
)

// settle waits until every read model has applied every event recorded so
// far, so that a live read shows them all.
func settle(t *testing.T, b *harness.Butler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	head, err := b.App.Events().ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil || len(head) == 0 {
		t.Fatalf("head of the log: %v %v", head, err)
	}
	if err := b.App.WaitCaughtUp(ctx, head[0].Position); err != nil {
		t.Fatalf("read models not caught up: %v", err)
	}
}

// asOf reads path as of at.
func asOf(b *harness.Butler, path, tok string, at time.Time) harness.Response {
	return b.Do("GET", path+"?as_of="+url.QueryEscape(at.Format(time.RFC3339Nano)), tok, nil)
}

// sameJSON reports whether two answers hold the same JSON.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y bytes.Buffer
	if err := json.Compact(&x, a); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Compact(&y, b); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}

// Every record type's detail answers ?as_of=: before a change it shows the
// record exactly as the live read model showed it then, after the change
// as it shows it now, and before the record existed it is not found.
func TestEveryRecordAsOf(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	otherButler := b.Token("butler", "b-002", "p1", "d2")
	sup := b.Token("supervisor", "s-001", "p1", "")
	custodian := b.Token("custodian", "k-001", "p1", "")
	cashier := b.Token("cashier", "c-001", "p1", "")
	quality := b.Token("quality", "q-001", "p1", "")
	ops := b.Token("operations", "op-001", "p1", "")
	operator := b.Token("operator", "o-001", "p1", "")
	archivist := b.Token("archivist", "ar-001", "p1", "")
	auditor := b.Token("auditor", "au-001", "p1", "")

	// cur is the test a command fails: the running subtest.
	outer, cur := t, t
	post := func(tok, path string, body any) string {
		cur.Helper()
		r := b.Do("POST", path, tok, body)
		if r.Status != http.StatusOK && r.Status != http.StatusCreated {
			cur.Fatalf("POST %s: %d %s", path, r.Status, r.Raw)
		}
		id, _ := r.JSON["id"].(string)
		return id
	}
	complaint := map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678", "category": "漏水",
		"description": "卫生间漏水", "soothing": "已安抚"}
	renovation := map[string]any{"unit": "3-2-1201", "owner": "业主王女士", "contractor": "美家装饰", "description": "厨房改造",
		"documents": []map[string]string{{"kind": "application", "ref": "ZX-031"}, {"kind": "quality_confirmation", "ref": "QC-031"},
			{"kind": "agreement", "ref": "XY-031"}}}
	today := b.Clock.Now().In(harness.Shanghai)

	var checked string // the renovation the register checks compare
	beforeAll := time.Now()
	for _, tc := range []struct {
		name string
		// reader reads the record.
		reader string
		// create makes the record and returns its detail path.
		create func() string
		// change changes what its detail shows.
		change func(path string)
		// inRecord: the detail's answer holds the record in "record".
		inRecord bool
	}{
		{name: "complaint", reader: sup,
			create: func() string { return "/api/v1/complaints/" + post(butler, "/api/v1/complaints", complaint) },
			change: func(p string) { post(butler, p+"/dispatch", map[string]any{"assignee": "e-007"}) }},
		{name: "work order", reader: sup,
			create: func() string {
				return "/api/v1/work-orders/" + post(butler, "/api/v1/work-orders", map[string]any{"unit": "5-1-302", "description": "水龙头漏水",
					"area": "unit", "warranty": "in"})
			},
			change: func(p string) { post(butler, p+"/dispatch", map[string]any{"assignee": "e-001"}) }},
		{name: "key", reader: sup,
			create: func() string {
				return "/api/v1/keys/" + post(custodian, "/api/v1/keys", map[string]any{"unit": "3-2-1201", "tag": "K-001", "district": "d1"})
			},
			change: func(p string) {
				post(custodian, p+"/lend", map[string]any{"borrower": "保洁员", "authorised_by": "业主赵先生", "authorisation_ref": "SQ-1",
					"due": today.Add(8 * time.Hour).Format(time.RFC3339)})
			}},
		{name: "key register day", reader: sup,
			create: func() string {
				return "/api/v1/keys/reconciliations/" + post(custodian, "/api/v1/keys/reconciliations", map[string]any{"counted": 1})
			},
			change: func(string) { post(sup, "/api/v1/keys/supervisor-checks", map[string]any{"matches": true}) }},
		{name: "fee bill", reader: sup,
			create: func() string {
				return "/api/v1/fees/bills/" + post(butler, "/api/v1/fees/bills", map[string]any{"unit": "3-2-1201", "period": "2026-03",
					"due": "2026-03-10", "items": []map[string]any{{"name": "物业服务费", "amount_fen": 36250}}})
			},
			change: func(p string) {
				post(cashier, p+"/payments", map[string]any{"amount_fen": 10000, "receipt_no": "NO.1"})
			}},
		{name: "fee plan", reader: sup,
			create: func() string {
				return "/api/v1/fees/plans/" + post(sup, "/api/v1/fees/plans", map[string]any{"month": "2026-04",
					"targets": []map[string]any{{"butler": "b-001", "district": "d1", "target_fen": 100000}}})
			},
			change: func(p string) {
				post(sup, p+"/revise", map[string]any{"reason": "新增车位费", "targets": []map[string]any{{"butler": "b-001", "district": "d1", "target_fen": 120000}}})
			}},
		{name: "fee reconciliation", reader: sup,
			create: func() string {
				// R-F4: a cashier entry no bill records, so the ledgers differ.
				post(cashier, "/api/v1/fees/cashier-ledger", map[string]any{"receipt_no": "ASOF-1", "amount_fen": 90})
				return "/api/v1/fees/reconciliations/" + post(cashier, "/api/v1/fees/reconciliations", map[string]any{"week": cashbook.WeekOf(b.Clock.Now())})
			},
			change: func(p string) { post(cashier, p+"/explain", map[string]any{"explanation": "次日入账"}) }},
		{name: "renovation", reader: sup,
			create: func() string { return "/api/v1/renovations/" + post(butler, "/api/v1/renovations", renovation) },
			change: func(p string) { post(butler, p+"/documents", map[string]any{"kind": "fees", "ref": "NO.0031"}) }},
		{name: "renovation register week", reader: sup,
			create: func() string {
				checked = post(butler, "/api/v1/renovations", renovation)
				return "/api/v1/renovations/register-checks/" + post(sup, "/api/v1/renovations/register-checks", map[string]any{"renovations": []string{checked}, "matches": true})
			},
			change: func(p string) {
				post(sup, "/api/v1/renovations/register-checks", map[string]any{"renovations": []string{checked}, "matches": false, "note": "台账缺一户"})
			}},
		{name: "move-in", reader: sup,
			create: func() string {
				return "/api/v1/move-ins/" + post(butler, "/api/v1/move-ins", map[string]any{"unit": "6-1-101", "owner": "业主赵先生"})
			},
			change: func(p string) { post(butler, p+"/documents-reviewed", map[string]any{"note": "原件已核"}) }},
		{name: "unit (fed by move-ins and renovations)", reader: sup,
			create: func() string {
				post(butler, "/api/v1/move-ins", map[string]any{"unit": "7-1-101", "owner": "业主钱女士"})
				return "/api/v1/units/" + projections.UnitID("p1", "7-1-101")
			},
			change: func(string) {
				r := map[string]any{}
				for k, v := range renovation {
					r[k] = v
				}
				r["unit"] = "7-1-101"
				post(butler, "/api/v1/renovations", r)
			}},
		{name: "staff member", reader: sup,
			create: func() string {
				post(sup, "/api/v1/staff", map[string]any{"staff_id": "e-009", "name": "张工", "role": "engineer"})
				return "/api/v1/staff/e-009"
			},
			change: func(p string) {
				post(sup, p+"/training", map[string]any{"session": "入职培训", "topic": "报修流程"})
			}},
		{name: "training plan", reader: sup,
			create: func() string {
				return "/api/v1/training-plans/" + post(sup, "/api/v1/training-plans", map[string]any{"period": today.Format("2006-01"),
					"sessions": []map[string]any{{"topic": "服务礼仪", "type": "simulation", "planned_on": today.Format(time.DateOnly), "audience": []string{"butler"}}}})
			},
			change: func(p string) { post(quality, p+"/approve", nil) }},
		{name: "integrity report", reader: ops,
			create: func() string {
				return "/api/v1/integrity-reports/" + post(butler, "/api/v1/integrity-reports", map[string]any{"subject": "某收费员", "content": "收费不给票据"})
			},
			change: func(p string) { post(ops, p+"/handle", map[string]any{"outcome": "已查实"}) }},
		{name: "shift", reader: sup,
			create: func() string {
				return "/api/v1/shifts/" + post(operator, "/api/v1/shifts", map[string]any{"night": true})
			},
			change: func(p string) {
				post(operator, p+"/messages", map[string]any{"from": "3-2-501", "content": "楼上漏水"})
			}},
		{name: "emergency", reader: sup,
			create: func() string {
				return "/api/v1/emergencies/" + post(operator, "/api/v1/emergencies", map[string]any{"type": "wall_climbing", "location": "东侧围墙", "district": "d1"})
			},
			change: func(p string) { post(operator, p+"/steps", map[string]any{"step": "dispatch_guard"}) }},
		{name: "visit plan (fed by visits)", reader: sup,
			create: func() string {
				units := []map[string]string{}
				for i := 1; i <= 50; i++ {
					units = append(units, map[string]string{"unit": fmt.Sprintf("1-%03d", i)})
				}
				post(sup, "/api/v1/unit-register", map[string]any{"district": "d1", "units": units})
				return "/api/v1/visit-plans/" + post(butler, "/api/v1/visit-plans", map[string]any{"month": "2026-03",
					"households": []string{"1-001", "1-002", "1-003", "1-004"}})
			},
			change: func(p string) {
				post(butler, "/api/v1/visits", map[string]any{"household": "1-001", "kind": "routine", "plan_id": strings.TrimPrefix(p, "/api/v1/visit-plans/")})
			}},
		{name: "visit (its duplicate flag fed by other visits)", reader: sup,
			create: func() string {
				return "/api/v1/visits/" + post(butler, "/api/v1/visits", map[string]any{"household": "2-001", "kind": "routine", "opinions": []string{"门禁常坏"}})
			},
			change: func(p string) { post(butler, p+"/warn", map[string]any{"problem": "多户反映门禁常坏"}) }},
		{name: "required return visit", reader: sup,
			create: func() string {
				return "/api/v1/return-visits/" + post(butler, "/api/v1/return-visits/misfortunes", map[string]any{"household": "1-003", "note": "业主住院"})
			},
			change: func(p string) {
				v := post(butler, "/api/v1/visits", map[string]any{"household": "1-003", "kind": "return", "notes": "慰问"})
				post(butler, p+"/satisfy", map[string]any{"visit_id": v})
			}},
		{name: "vacant unit", reader: sup,
			create: func() string {
				return "/api/v1/vacant-units/" + post(butler, "/api/v1/vacant-units", map[string]any{"unit": "8-1-101"})
			},
			change: func(p string) { post(butler, p+"/services", map[string]any{"service": "inspection"}) }},
		{name: "patrol", reader: sup,
			create: func() string {
				return "/api/v1/patrols/" + post(butler, "/api/v1/patrols", map[string]any{"areas": []string{"地库"}, "findings": []string{"照明灯不亮"}})
			},
			change: func(p string) {
				post(butler, p+"/work-orders", map[string]any{"finding": 0, "warranty": "out", "place": "地库B区"})
			}},
		{name: "activity", reader: sup,
			create: func() string {
				return "/api/v1/activities/" + post(butler, "/api/v1/activities", map[string]any{"title": "亲子活动", "date": "2026-04-25",
					"organisation": "客服部", "content": "手工", "publicity": "公告栏", "budget_fen": 1000, "risks": "专人看护", "large": false})
			},
			change: func(p string) { post(ops, p+"/approve", nil) }},
		{name: "archive", reader: auditor,
			create: func() string {
				return "/api/v1/archives/" + post(archivist, "/api/v1/archives", map[string]any{"household": "3-2-501", "owner": "王秀英", "phone": "13812345678", "district": "d1"})
			},
			change: func(p string) {
				post(archivist, p+"/add-document", map[string]any{"document": "购房合同", "kind": "form"})
			},
			inRecord: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur = t
			defer func() { cur = outer }()
			pick := func(r harness.Response) []byte {
				if r.Status != http.StatusOK {
					t.Fatalf("status %d: %s", r.Status, r.Raw)
				}
				if !tc.inRecord {
					return r.Raw
				}
				var m map[string]json.RawMessage
				if err := json.Unmarshal(r.Raw, &m); err != nil {
					t.Fatal(err)
				}
				return m["record"]
			}
			path := tc.create()
			settle(t, b)
			before := pick(b.Do("GET", path, tc.reader, nil))
			mid := time.Now()
			tc.change(path)
			settle(t, b)
			after := pick(b.Do("GET", path, tc.reader, nil))
			if sameJSON(t, before, after) {
				t.Fatalf("the change changed nothing: %s", after)
			}
			if got := pick(asOf(b, path, tc.reader, mid)); !sameJSON(t, got, before) {
				t.Errorf("as of before the change:\n got %s\nwant %s", got, before)
			}
			if got := pick(asOf(b, path, tc.reader, time.Now())); !sameJSON(t, got, after) {
				t.Errorf("as of now:\n got %s\nwant %s", got, after)
			}
			r := asOf(b, path, tc.reader, beforeAll)
			harness.Problem(t, r, http.StatusNotFound, "not_found")
			if !strings.Contains(r.JSON["detail"].(string), "did not exist yet") {
				t.Errorf("before it existed: %s", r.Raw)
			}
		})
	}

	// Out of scope is absent, as of any moment; a date alone is the end of
	// that day in the project's time zone.
	c := "/api/v1/complaints/" + post(butler, "/api/v1/complaints", complaint)
	settle(t, b)
	r := b.Do("GET", c+"?as_of="+url.QueryEscape(beforeAll.Format(time.RFC3339Nano)), otherButler, nil)
	harness.Problem(t, r, http.StatusNotFound, "not_found")
	if strings.Contains(string(r.Raw), "did not exist yet") {
		t.Errorf("out of scope, the answer tells when the record began: %s", r.Raw)
	}
	now := time.Now().In(harness.Shanghai)
	b.Must(http.StatusOK, "GET", c+"?as_of="+now.Format(time.DateOnly), sup, nil)
	harness.Problem(t, b.Do("GET", c+"?as_of="+now.AddDate(0, 0, -1).Format(time.DateOnly), sup, nil), http.StatusNotFound, "not_found")
	// A + sent unencoded arrives as a space.
	r = b.Do("GET", c+"?as_of="+now.Format("2006-01-02T15:04:05+08:00"), sup, nil)
	harness.Problem(t, r, http.StatusBadRequest, "invalid_query")
	if !strings.Contains(string(r.Raw), "%2B") {
		t.Errorf("an unencoded + is not explained: %s", r.Raw)
	}
	b.Must(http.StatusOK, "GET", c+"?as_of="+url.QueryEscape(now.Add(time.Second).Format(time.RFC3339)), sup, nil)
}

// A KPI as of a moment counts only the events recorded until then, and
// as of now it is the live KPI.
func TestKPIAsOf(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	sup := b.Token("supervisor", "s-001", "p1", "")
	cashier := b.Token("cashier", "c-001", "p1", "")
	analyst := b.Token("analyst", "a-001", "p1", "")

	beforeAll := time.Now()
	b.Must(http.StatusCreated, "POST", "/api/v1/fees/plans", sup, map[string]any{"month": "2026-03",
		"targets": []map[string]any{{"butler": "b-001", "district": "d1", "target_fen": 100000}}})
	bill := b.Must(http.StatusCreated, "POST", "/api/v1/fees/bills", butler, map[string]any{"unit": "3-2-1201", "period": "2026-03",
		"due": "2026-03-10", "items": []map[string]any{{"name": "物业服务费", "amount_fen": 50000}}}).JSON["id"].(string)
	b.Must(http.StatusCreated, "POST", "/api/v1/fees/cashier-ledger", cashier, map[string]any{"receipt_no": "NO.0", "amount_fen": 90})
	rec := b.Must(http.StatusCreated, "POST", "/api/v1/fees/reconciliations", cashier, map[string]any{"week": cashbook.WeekOf(b.Clock.Now())}).JSON["id"].(string)
	mid := time.Now()
	b.Must(http.StatusOK, "POST", "/api/v1/fees/bills/"+bill+"/payments", cashier, map[string]any{"amount_fen": 50000, "receipt_no": "NO.1"})
	b.Must(http.StatusOK, "POST", "/api/v1/fees/reconciliations/"+rec+"/explain", cashier, map[string]any{"explanation": "次日入账"})
	settle(t, b)

	for _, tc := range []struct {
		path           string
		then, now      float64
		beforeAllValue any
	}{
		// A Count over a read model of one stream per record.
		{"/api/v1/kpis/ledger-mismatches-open", 1, 0, float64(0)},
		// Money against plan, over a read model fed by plans and payments.
		{"/api/v1/kpis/fee-collection-rate?month=2026-03", 0, 0.5, nil},
	} {
		sep := "?"
		if strings.Contains(tc.path, "?") {
			sep = "&"
		}
		at := func(t time.Time) string {
			return tc.path + sep + "as_of=" + url.QueryEscape(t.Format(time.RFC3339Nano))
		}
		then := b.Must(http.StatusOK, "GET", at(mid), analyst, nil)
		if then.JSON["value"] != tc.then {
			t.Errorf("%s as of before the change = %v, want %v: %s", tc.path, then.JSON["value"], tc.then, then.Raw)
		}
		live := b.Must(http.StatusOK, "GET", tc.path, analyst, nil)
		now := b.Must(http.StatusOK, "GET", at(time.Now()), analyst, nil)
		if live.JSON["value"] != tc.now {
			t.Errorf("%s live = %v, want %v", tc.path, live.JSON["value"], tc.now)
		}
		delete(now.JSON, "as_of")
		if !sameJSON(t, mustJSON(t, now.JSON), mustJSON(t, live.JSON)) {
			t.Errorf("%s as of now differs from the live KPI:\n as of %s\n live  %s", tc.path, now.Raw, live.Raw)
		}
		if v := b.Must(http.StatusOK, "GET", at(beforeAll), analyst, nil).JSON["value"]; v != tc.beforeAllValue {
			t.Errorf("%s before any event = %v, want %v", tc.path, v, tc.beforeAllValue)
		}
	}
	harness.Problem(t, b.Do("GET", "/api/v1/kpis/ledger-mismatches-open?as_of=2026-13-01", analyst, nil), http.StatusBadRequest, "invalid_query")
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
