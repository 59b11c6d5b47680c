package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/test/harness"
)

const (
	privOwner = "郑强"
	privPhone = "19185854763"
	privUnit  = "4-2-902"
)

// accessRecords counts the access log's records of unit read by staff.
func accessRecords(t *testing.T, b *harness.Butler, auditor, unit, staff string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.App.WaitCaughtUp(ctx, head(t, b)); err != nil {
		t.Fatal(err)
	}
	r := b.Must(http.StatusOK, "GET", "/api/v1/access-log?household="+unit+"&staff="+staff, auditor, nil)
	total, _ := r.JSON["total"].(float64)
	return int(total)
}

// TestPersonalDataByRole is the role × endpoint matrix (R-D3): every role
// reads every converted endpoint; the roles that reach owners see the
// name and phone and leave one access record per answer, every other
// role sees them masked and leaves none; no role finds the owner by name
// in the records' search.
func TestPersonalDataByRole(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	auditor := b.Token("auditor", "au-001", "p1", "")
	engineer := b.Token("engineer", "e-007", "p1", "")

	cid := b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, map[string]any{
		"unit": privUnit, "owner": privOwner, "phone": privPhone, "category": "噪音",
		"description": "楼上夜间噪音", "soothing": "已致歉"}).JSON["id"].(string)
	wid := b.Must(http.StatusCreated, "POST", "/api/v1/work-orders", butler, map[string]any{
		"unit": privUnit, "description": "卫生间漏水", "area": "unit", "warranty": "in", "paid": false, "urgent": false, "leak": false}).JSON["id"].(string)
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wid+"/dispatch", butler, map[string]any{"assignee": "e-007"})
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wid+"/start", engineer, map[string]any{})
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wid+"/complete", engineer, map[string]any{"result": "更换密封圈"})
	b.Must(http.StatusOK, "POST", "/api/v1/work-orders/"+wid+"/confirm", engineer, map[string]any{"signed_by": privOwner})
	b.WaitFor("/api/v1/work-orders/"+wid, butler, func(m map[string]any) error {
		if m["confirmed"] != true {
			return fmt.Errorf("not confirmed yet")
		}
		return nil
	})

	// No event of the complaint or the work order holds the name or phone.
	for _, stream := range []string{"complaint-" + cid, "workorder-" + wid} {
		evs, err := b.App.Events().ReadStream(context.Background(), stream, 0, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if strings.Contains(string(e.Data), privOwner) || strings.Contains(string(e.Data), privPhone) {
				t.Fatalf("%s %s holds personal data: %s", stream, e.Type, e.Data)
			}
		}
	}

	endpoints := []string{
		"/api/v1/complaints/" + cid,
		"/api/v1/complaints?unit=" + privUnit,
		"/api/v1/complaints/" + cid + "/history",
		"/api/v1/work-orders/" + wid,
		"/api/v1/work-orders?unit=" + privUnit,
		"/api/v1/work-orders/" + wid + "/history",
		"/api/v1/households/" + privUnit,
	}
	roles := []struct {
		role, staff, district string
		sees                  bool
	}{
		{"butler", "b-001", "d1", true},
		{"supervisor", "s-001", "", true},
		{"project_manager", "pm-001", "", true},
		{"operator", "op-001", "", true},
		{"cashier", "c-001", "", false},
		{"custodian", "k-001", "", false},
		{"archivist", "ar-001", "", false},
		{"engineer", "e-007", "", false},
		{"operations", "ops-001", "", false},
		{"quality", "q-001", "", false},
		{"auditor", "au-001", "", false},
		{"analyst", "a-001", "", false},
	}
	for _, ro := range roles {
		tok := b.Token(ro.role, ro.staff, "p1", ro.district)
		for _, ep := range endpoints {
			before := accessRecords(t, b, auditor, privUnit, ro.staff)
			r := b.Must(http.StatusOK, "GET", ep, tok, nil)
			body := string(r.Raw)
			history := strings.HasSuffix(ep, "/history")
			// Histories of records made after households hold no owner at all.
			showsOwner := !history
			switch {
			case history:
				if strings.Contains(body, privOwner) || strings.Contains(body, privPhone) {
					t.Errorf("%s %s: a history shows personal data: %s", ro.role, ep, body)
				}
			case ro.sees:
				if !strings.Contains(body, privOwner) || !strings.Contains(body, privPhone) {
					t.Errorf("%s %s: want the owner unmasked, got %s", ro.role, ep, body)
				}
			default:
				if strings.Contains(body, privOwner) || strings.Contains(body, privPhone) {
					t.Errorf("%s %s: unmasked personal data for a role that may not see it: %s", ro.role, ep, body)
				}
				if showsOwner && (!strings.Contains(body, "郑*") || !strings.Contains(body, "191****4763")) {
					t.Errorf("%s %s: want the owner masked (郑*, 191****4763), got %s", ro.role, ep, body)
				}
			}
			want := before
			if ro.sees && showsOwner {
				want++
			}
			if got := accessRecords(t, b, auditor, privUnit, ro.staff); got != want {
				t.Errorf("%s %s: %d access records after the read, want %d", ro.role, ep, got, want)
			}
		}
		// Searching records by the owner's name finds nothing, for any role.
		for _, list := range []string{"/api/v1/complaints", "/api/v1/work-orders"} {
			r := b.Must(http.StatusOK, "GET", list+"?q="+url.QueryEscape(privOwner), tok, nil)
			if r.JSON["total"].(float64) != 0 {
				t.Errorf("%s: %s?q=<owner> found %v records", ro.role, list, r.JSON["total"])
			}
		}
		// Owners are searched at /households, by the roles that reach them only.
		if ro.sees {
			for _, q := range []string{privOwner, privPhone} {
				r := b.Must(http.StatusOK, "GET", "/api/v1/households?q="+url.QueryEscape(q), tok, nil)
				if r.JSON["total"].(float64) != 1 || !strings.Contains(string(r.Raw), privPhone) {
					t.Errorf("%s: households?q=%s = %s", ro.role, q, r.Raw)
				}
			}
		} else {
			harness.Problem(t, b.Do("GET", "/api/v1/households?q="+url.QueryEscape(privOwner), tok, nil), http.StatusForbidden, "forbidden_role")
		}
	}
	// A butler of another district does not see the household at all.
	other := b.Token("butler", "b-003", "p1", "d2")
	harness.Problem(t, b.Do("GET", "/api/v1/households/"+privUnit, other, nil), http.StatusNotFound, "not_found")
	// The access log is for auditors and the project manager.
	harness.Problem(t, b.Do("GET", "/api/v1/access-log", butler, nil), http.StatusForbidden, "forbidden_role")
	r := b.Must(http.StatusOK, "GET", "/api/v1/access-log?household="+privUnit+"&staff=b-001", auditor, nil)
	item := r.JSON["items"].([]any)[0].(map[string]any)
	if item["role"] != "butler" || !strings.HasPrefix(item["route"].(string), "/api/v1/") || item["units"].([]any)[0] != privUnit {
		t.Fatalf("access record %v", item)
	}
}

// TestErasure: after POST /households/{unit}/erase the owner's name and
// phone appear nowhere (records, households, search, history, the audit
// export), a replay of the read models shows them erased too, and the
// verifiable log still verifies.
func TestErasure(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	auditor := b.Token("auditor", "au-001", "p1", "")
	cid := b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, map[string]any{
		"unit": privUnit, "owner": privOwner, "phone": privPhone, "category": "噪音",
		"description": "楼上夜间噪音", "soothing": "已致歉"}).JSON["id"].(string)
	b.WaitFor("/api/v1/households/"+privUnit, supervisor, func(m map[string]any) error {
		if m["owner"] != privOwner {
			return fmt.Errorf("owner %v", m["owner"])
		}
		return nil
	})
	harness.Problem(t, b.Do("POST", "/api/v1/households/"+privUnit+"/erase", supervisor, map[string]any{"reason": "业主申请"}),
		http.StatusForbidden, "forbidden_role")
	b.Must(http.StatusOK, "POST", "/api/v1/households/"+privUnit+"/erase", pm, map[string]any{"reason": "业主依法申请删除个人信息"})
	b.WaitFor("/api/v1/households/"+privUnit, supervisor, func(m map[string]any) error {
		if m["owner"] != "已删除" || m["owner_erased"] != true {
			return fmt.Errorf("owner %v", m["owner"])
		}
		return nil
	})
	sign(t, b) // a checkpoint over every event so far (the tree follows $all: wait for it)
	noPersonalData := func(what, body string) {
		t.Helper()
		if strings.Contains(body, privOwner) || strings.Contains(body, privPhone) {
			t.Errorf("%s shows erased personal data: %s", what, body)
		}
	}
	for _, ep := range []string{"/api/v1/complaints/" + cid, "/api/v1/complaints?unit=" + privUnit, "/api/v1/complaints/" + cid + "/history",
		"/api/v1/households/" + privUnit, "/api/v1/households?unit=" + privUnit} {
		r := b.Must(http.StatusOK, "GET", ep, supervisor, nil)
		noPersonalData(ep, string(r.Raw))
	}
	if !strings.Contains(string(b.Must(http.StatusOK, "GET", "/api/v1/complaints/"+cid, supervisor, nil).Raw), "已删除") {
		t.Error("the complaint does not show its owner as erased")
	}
	for _, q := range []string{privOwner, privPhone} {
		r := b.Must(http.StatusOK, "GET", "/api/v1/households?q="+url.QueryEscape(q), supervisor, nil)
		if r.JSON["total"].(float64) != 0 {
			t.Errorf("households?q=%s found %v after erasure", q, r.JSON["total"])
		}
	}
	noPersonalData("the audit export", string(b.Must(http.StatusOK, "GET", "/api/v1/audit/export?from=2026-01-01", auditor, nil).Raw))

	// A rebuild of the households read model replays the sealed contact:
	// its key is destroyed, so it shows erased too.
	b.Must(http.StatusOK, "POST", "/api/v1/admin/projections/households/rebuild", pm, nil)
	b.WaitFor("/api/v1/households/"+privUnit, supervisor, func(m map[string]any) error {
		if m["owner"] != "已删除" {
			return fmt.Errorf("owner %v after the rebuild", m["owner"])
		}
		return nil
	})

	// The log hashes what is stored, and erasure changed nothing stored.
	var key audit.PublicKey
	_ = json.Unmarshal(b.Must(http.StatusOK, "GET", "/api/v1/audit/key", auditor, nil).Raw, &key)
	pub, err := key.Key()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(context.Background(), b.App.Events(), audit.VerifyOptions{Keys: audit.NewKeys(pub)})
	if err != nil || !rep.OK() {
		t.Fatalf("audit verify after an erasure: %+v, %v", rep, err)
	}

	// A new owner of the unit: a new contact under a new key, shown again.
	b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, map[string]any{
		"unit": privUnit, "owner": "韩建华", "phone": "13900001111", "category": "噪音", "description": "电梯噪音", "soothing": "已致歉"})
	b.WaitFor("/api/v1/households/"+privUnit, supervisor, func(m map[string]any) error {
		if m["owner"] != "韩建华" {
			return fmt.Errorf("owner %v", m["owner"])
		}
		return nil
	})
}

// TestRecordedBeforeHouseholds: a complaint registered before households
// (complaint.registered.v1, owner and phone in plain text, appended here
// as an old log would hold it) shows no owner in its read model, its
// history shows the plain text masked to roles that may not see it and
// unmasked (recorded) to those that may, and 已删除 once the household is
// erased, though the stored bytes never change.
func TestRecordedBeforeHouseholds(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	supervisor := b.Token("supervisor", "s-001", "p1", "")
	analyst := b.Token("analyst", "a-001", "p1", "")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	auditor := b.Token("auditor", "au-001", "p1", "")
	const id = "01900000-0000-7000-8000-0000000000a1"
	data := fmt.Sprintf(`{"complaint_id":%q,"project":"p1","district":"d1","unit":%q,"owner":%q,"phone":%q,"category":"噪音","description":"旧投诉","soothing":"已致歉","at":"2026-01-05T01:00:00Z"}`,
		id, privUnit, privOwner, privPhone)
	if _, err := b.App.Events().Append(context.Background(), "complaint-"+id, event.NoStream(), event.Event{
		ID: "01900000-0000-7000-8000-0000000000b1", Type: "complaint.registered.v1", Data: []byte(data),
		Meta: event.Metadata{Actor: event.Actor{StaffID: "b-001", Role: "butler"}, Project: "p1", District: "d1",
			OccurredAt: time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC), CorrelationID: "old", CausationID: "old"}}); err != nil {
		t.Fatal(err)
	}
	detail := b.WaitFor("/api/v1/complaints/"+id, supervisor, func(map[string]any) error { return nil })
	if detail["owner"] != nil || detail["phone"] != nil {
		t.Fatalf("the read model carries a v1 owner: %v", detail)
	}
	hist := func(tok string) string {
		return string(b.Must(http.StatusOK, "GET", "/api/v1/complaints/"+id+"/history", tok, nil).Raw)
	}
	if h := hist(analyst); strings.Contains(h, privOwner) || strings.Contains(h, privPhone) || !strings.Contains(h, "191****4763") {
		t.Fatalf("an analyst's history: %s", h)
	}
	if n := accessRecords(t, b, auditor, privUnit, "a-001"); n != 0 {
		t.Fatalf("a masked history was recorded %d times", n)
	}
	if h := hist(supervisor); !strings.Contains(h, privOwner) || !strings.Contains(h, privPhone) {
		t.Fatalf("a supervisor's history: %s", h)
	}
	if n := accessRecords(t, b, auditor, privUnit, "s-001"); n != 1 {
		t.Fatalf("the supervisor's history read: %d records, want 1", n)
	}
	// Erased (no contact was ever recorded for the unit: the erasure is its household's first event).
	b.Must(http.StatusOK, "POST", "/api/v1/households/"+privUnit+"/erase", pm, map[string]any{"reason": "业主申请删除"})
	b.WaitFor("/api/v1/households/"+privUnit, supervisor, func(m map[string]any) error {
		if m["owner_erased"] != true {
			return fmt.Errorf("not erased yet: %v", m)
		}
		return nil
	})
	if h := hist(supervisor); strings.Contains(h, privOwner) || strings.Contains(h, privPhone) || !strings.Contains(h, "已删除") {
		t.Fatalf("the history after erasure: %s", h)
	}
	// The stored bytes are what they were: the limitation docs/privacy.md states.
	evs, err := b.App.Events().ReadStream(context.Background(), "complaint-"+id, 0, event.Forward, 1)
	if err != nil || !strings.Contains(string(evs[0].Data), privOwner) {
		t.Fatalf("the stored v1 event changed: %v", err)
	}
}
