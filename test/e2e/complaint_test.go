package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/test/harness"
)

// head is the last position of $all: unchanged means no event was written.
func head(t *testing.T, b *harness.Butler) event.Position {
	t.Helper()
	evs, err := b.App.Events().ReadAll(context.Background(), event.End, event.Backward, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 {
		return 0
	}
	return evs[0].Position
}

func registerComplaint(t *testing.T, b *harness.Butler, tok string, description string) string {
	t.Helper()
	r := b.Must(http.StatusCreated, "POST", "/api/v1/complaints", tok, map[string]any{
		"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678", "category": "漏水",
		"description": description, "soothing": "已向业主致歉，耐心倾听并安抚情绪",
	})
	id, _ := r.JSON["id"].(string)
	if id == "" || r.Header.Get("Location") != "/api/v1/complaints/"+id || r.Header.Get("ETag") != `"0"` {
		t.Fatalf("register answer: %s %v", r.Raw, r.Header)
	}
	return id
}

func TestComplaintJourney(t *testing.T) {
	t.Parallel()
	forEachEngine(t, complaintJourney)
}

// forEachEngine runs a journey on every deployment: the answers must be the same.
func forEachEngine(t *testing.T, journey func(*testing.T, *harness.Butler)) {
	for _, e := range harness.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			journey(t, harness.Start(t, e.Options(t)))
		})
	}
}

func complaintJourney(t *testing.T, b *harness.Butler) {
	butler := b.Token("butler", "b-001", "p1", "d1")
	supervisor := b.Token("supervisor", "s-001", "p1", "")

	// A running server keeps its read models current; one that has just
	// started (here with dozens of other tests' servers creating their
	// indices on the same test node) first takes its projections' leases
	// and opens their indices. Wait for that with a complaint of another
	// project, then time the one that counts.
	warm := b.Token("butler", "b-900", "p0", "d9")
	registerComplaint(t, b, warm, "预热：走廊灯不亮")
	b.Eventually(30*time.Second, func() error {
		if r := b.Do("GET", "/api/v1/complaints?q=走廊", warm, nil); r.Status != 200 || r.JSON["total"] != float64(1) {
			return fmt.Errorf("warm-up complaint not searchable yet: %s", r.Raw)
		}
		return nil
	})

	id := registerComplaint(t, b, butler, "业主反映楼上卫生间漏水，天花板渗水严重，墙面发霉")
	path := "/api/v1/complaints/" + id

	// Searchable by a Chinese word of its description within a second.
	// Elasticsearch makes writes searchable at its refresh (every 500 ms
	// here), on a test node that is busy with other tests' indices too.
	within := time.Second
	if b.Options.Elasticsearch != "" {
		// One test node serves every parallel test here, creating dozens of
		// indices at once, so its refresh can lag far behind a real
		// cluster's: the 1 s bound is asserted on the default deployment,
		// and on Elasticsearch the time is logged.
		within = 15 * time.Second
	}
	start := time.Now()
	b.Eventually(within, func() error {
		r := b.Do("GET", "/api/v1/complaints?q=渗水", butler, nil)
		if r.Status != 200 || r.JSON["total"] != float64(1) {
			return fmt.Errorf("search: %s", r.Raw)
		}
		return nil
	})
	t.Logf("searchable after %s", time.Since(start))

	// Closing before the return visit is refused and records nothing.
	before := head(t, b)
	harness.Problem(t, b.Do("POST", path+"/close", butler, map[string]any{}), 422, "return_visit_missing")
	if head(t, b) != before {
		t.Fatal("a refused close wrote an event")
	}

	b.Must(200, "POST", path+"/dispatch", butler, map[string]any{"assignee": "e-007"})
	b.Must(200, "POST", path+"/follow-up", butler, map[string]any{"channel": "phone", "note": "电话告知业主维修师傅明天上门查看"})
	b.Must(200, "POST", path+"/explain-delay", butler, map[string]any{"reason": "需楼上业主配合开门检查防水层", "expected_by": "2026-03-06"})
	b.Must(200, "POST", path+"/flag-risk", supervisor, map[string]any{"reason": "同单元多户反映渗水，有群诉风险"})
	b.Must(200, "POST", path+"/escalate", butler, map[string]any{"reason": "需主管协调楼上业主"})

	// A stale If-Match gets 412 and changes nothing.
	before = head(t, b)
	harness.Problem(t, b.Do("POST", path+"/resolve", butler, map[string]any{"resolution": "x", "valid": true, "validity_reason": "x"}, "If-Match", `"1"`), 412, "precondition_failed")
	if head(t, b) != before {
		t.Fatal("a stale If-Match wrote an event")
	}
	// Escalated to the supervisor, it is no longer the butler's to resolve (R-C5).
	harness.Problem(t, b.Do("POST", path+"/resolve", butler, map[string]any{"resolution": "x", "valid": true, "validity_reason": "x"}), 403, "escalated_above_caller")
	r := b.Must(200, "POST", path+"/resolve", supervisor, map[string]any{"resolution": "重做楼上卫生间防水，修补天花板", "valid": true, "validity_reason": "楼上防水失效，属物业协调范围"}, "If-Match", `"5"`)
	if r.Header.Get("ETag") != `"6"` {
		t.Fatalf("ETag after resolve = %s", r.Header.Get("ETag"))
	}
	b.Must(200, "POST", path+"/return-visit", butler, map[string]any{"channel": "visit", "satisfaction": 5, "comment": "业主表示满意"})
	b.Must(200, "POST", path+"/close", supervisor, map[string]any{})

	doc := b.WaitFor(path, butler, func(m map[string]any) error {
		if m["status"] != "closed" {
			return fmt.Errorf("status %v", m["status"])
		}
		return nil
	})
	if doc["risk_flagged"] != true || doc["warn"] != "project_manager" || doc["level"] != "supervisor" || doc["satisfaction"] != float64(5) {
		t.Fatalf("read model: %v", doc)
	}

	h := b.Must(200, "GET", path+"/history", supervisor, nil)
	evs := h.JSON["events"].([]any)
	var types []string
	for i, e := range evs {
		m := e.(map[string]any)
		if m["revision"] != float64(i) {
			t.Fatalf("history not oldest first: %v", m)
		}
		if m["recorded_at"] == "" || m["actor"] == nil {
			t.Fatalf("history event without recorded_at or actor: %v", m)
		}
		types = append(types, m["type"].(string))
	}
	want := "complaint.registered.v2 complaint.dispatched.v1 complaint.communication_recorded.v1 complaint.delay_explained.v1 " +
		"complaint.risk_flagged.v1 complaint.escalated.v1 complaint.resolved.v2 complaint.return_visited.v1 complaint.closed.v1"
	if strings.Join(types, " ") != want {
		t.Fatalf("history types:\n got %s\nwant %s", strings.Join(types, " "), want)
	}
	if a := evs[4].(map[string]any)["actor"].(map[string]any); a["staff_id"] != "s-001" || a["role"] != "supervisor" {
		t.Fatalf("risk flag actor = %v", a)
	}

	// An auditor sees the complaint as it stood when it was dispatched.
	auditor := b.Token("auditor", "au-001", "p1", "")
	at := evs[1].(map[string]any)["recorded_at"].(string)
	then := b.Must(200, "GET", path+"?as_of="+url.QueryEscape(at), auditor, nil)
	if then.JSON["status"] != "dispatched" || then.JSON["assignee"] != "e-007" || then.Header.Get("ETag") != `"1"` {
		t.Fatalf("as of %s: %s", at, then.Raw)
	}
	harness.Problem(t, b.Do("GET", path+"?as_of=2000-01-01", auditor, nil), 404, "not_found")
	harness.Problem(t, b.Do("GET", path+"?as_of=yesterday", auditor, nil), 400, "invalid_query")

	// KPIs see the closed complaint with its return visit.
	b.WaitFor("/api/v1/kpis/complaint-return-visit-rate?month=2026-03", supervisor, func(k map[string]any) error {
		if k["value"] != float64(1) || k["denominator"] != float64(1) || fmt.Sprint(k["records"]) != "["+id+"]" {
			return fmt.Errorf("kpi: %v", k)
		}
		return nil
	})
}

func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	other := b.Token("butler", "b-002", "p1", "d2")
	analyst := b.Token("analyst", "a-001", "p1", "")
	otherProject := b.Token("supervisor", "s-009", "p2", "")
	id := registerComplaint(t, b, butler, "小区门口路灯不亮")
	before := head(t, b)
	valid := `{"unit":"1-1-101","owner":"李明","phone":"13900002222","category":"照明","description":"路灯坏了","soothing":"已安抚"}`

	for _, c := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		code                      string
	}{
		{"malformed JSON", "POST", "/api/v1/complaints", butler, `{"unit":`, 400, "malformed_json"},
		{"unknown field", "POST", "/api/v1/complaints", butler, strings.Replace(valid, `"unit"`, `"flat":"x","unit"`, 1), 400, "unknown_field"},
		{"missing fields", "POST", "/api/v1/complaints", butler, `{"unit":"1-1-101"}`, 400, "invalid_input"},
		{"wrong type", "POST", "/api/v1/complaints/" + id + "/return-visit", butler, `{"channel":"phone","satisfaction":"five"}`, 400, "invalid_input"},
		{"oversized body", "POST", "/api/v1/complaints", butler, `{"description":"` + strings.Repeat("漏", 30000) + `"}`, 413, "body_too_large"},
		{"bad id", "POST", "/api/v1/complaints/not-an-id/dispatch", butler, `{"assignee":"x"}`, 400, "invalid_id"},
		{"unknown id", "POST", "/api/v1/complaints/01900000-0000-7000-8000-000000000000/dispatch", butler, `{"assignee":"x"}`, 404, "not_found"},
		{"no token", "POST", "/api/v1/complaints", "", valid, 401, "unauthorized"},
		{"bad token", "POST", "/api/v1/complaints", butler + "x", valid, 401, "invalid_token"},
		{"wrong role", "POST", "/api/v1/complaints", analyst, valid, 403, "forbidden_role"},
		{"wrong district", "POST", "/api/v1/complaints/" + id + "/dispatch", other, `{"assignee":"x"}`, 403, "forbidden_scope"},
		{"wrong project", "POST", "/api/v1/complaints/" + id + "/dispatch", otherProject, `{"assignee":"x"}`, 403, "forbidden_scope"},
		{"satisfaction out of range", "POST", "/api/v1/complaints/" + id + "/return-visit", butler, `{"channel":"phone","satisfaction":9}`, 400, "invalid_input"},
		{"return visit before resolution", "POST", "/api/v1/complaints/" + id + "/return-visit", butler, `{"channel":"phone","satisfaction":3}`, 422, "not_resolved"},
		{"trailing data", "POST", "/api/v1/complaints", butler, valid + `{}`, 400, "malformed_json"},
		{"bad If-Match", "POST", "/api/v1/complaints/" + id + "/dispatch", butler, `{"assignee":"x"}`, 400, "invalid_if_match"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var headers []string
			if c.name == "bad If-Match" {
				headers = []string{"If-Match", "yesterday"}
			}
			harness.Problem(t, b.Do(c.method, c.path, c.token, c.body, headers...), c.status, c.code)
			if head(t, b) != before {
				t.Fatal("a refused request wrote an event")
			}
		})
	}

	// Reads are scoped too: another district's butler cannot see the record.
	b.WaitFor("/api/v1/complaints/"+id, butler, func(map[string]any) error { return nil })
	harness.Problem(t, b.Do("GET", "/api/v1/complaints/"+id, other, nil), 404, "not_found")
	harness.Problem(t, b.Do("GET", "/api/v1/complaints/"+id+"/history", other, nil), 404, "not_found")
	if r := b.Must(200, "GET", "/api/v1/complaints", other, nil); r.JSON["total"] != float64(0) {
		t.Fatalf("another district's list shows records: %s", r.Raw)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/complaints?colour=red", butler, nil), 400, "invalid_query")
	harness.Problem(t, b.Do("GET", "/api/v1/complaints?cursor=garbage", butler, nil), 400, "invalid_cursor")
	// The butler's reads showed the owner: each was recorded (R-D3).
	before = head(t, b)

	// A body cut short (the client promised more than it sent, then
	// stopped) is the client's error, not the server's.
	u, err := url.Parse(b.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/complaints HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"unit\":", u.Host, butler)
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a cut body: %v", err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 400 || !strings.Contains(string(body), `"code":"body_incomplete"`) {
		t.Fatalf("a cut body answered %d %s, want 400 body_incomplete", resp.StatusCode, body)
	}
	if head(t, b) != before {
		t.Fatal("a cut body wrote an event")
	}
}

func TestRacingWritersOneWinsOneConflicts(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	id := registerComplaint(t, b, butler, "电梯困人")
	// Both writers saw revision 0; only one may dispatch on it.
	results := make(chan int, 2)
	for _, who := range []string{"e-1", "e-2"} {
		go func() {
			results <- b.Do("POST", "/api/v1/complaints/"+id+"/dispatch", butler, map[string]any{"assignee": who}, "If-Match", `"0"`).Status
		}()
	}
	got := map[int]int{<-results: 1}
	got[<-results]++
	if got[200] != 1 || got[409]+got[412] != 1 {
		t.Fatalf("statuses %v: want one 200 and one 409/412", got)
	}
}
