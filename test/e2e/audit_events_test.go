package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// The audit feed over HTTP: who did what, when, across records, scoped to
// the token's project (and district), filtered, paged by position,
// streamed as NDJSON; a time rule's event names the event it acted on.
func TestAuditFeed(t *testing.T) {
	t.Parallel()
	forEachEngine(t, auditFeedJourney)
}

// feedEvent is an audit-feed item.
type feedEvent struct {
	ID            string  `json:"id"`
	Position      float64 `json:"position"`
	Stream        string  `json:"stream"`
	Revision      float64 `json:"revision"`
	Type          string  `json:"type"`
	Actor         string  `json:"actor"`
	Role          string  `json:"role"`
	Project       string  `json:"project"`
	District      string  `json:"district"`
	OccurredAt    string  `json:"occurred_at"`
	RecordedAt    string  `json:"recorded_at"`
	CorrelationID string  `json:"correlation_id"`
	CausationID   string  `json:"causation_id"`
}

type feedPage struct {
	Items []feedEvent `json:"items"`
	Total int         `json:"total"`
	After float64     `json:"after"`
}

func feed(t *testing.T, b *harness.Butler, tok, query string) feedPage {
	t.Helper()
	r := b.Must(http.StatusOK, "GET", "/api/v1/audit/events?"+query, tok, nil)
	var p feedPage
	if err := json.Unmarshal(r.Raw, &p); err != nil {
		t.Fatalf("feed %s: %v", r.Raw, err)
	}
	return p
}

func streams(evs []feedEvent) map[string]int {
	out := map[string]int{}
	for _, e := range evs {
		out[e.Stream]++
	}
	return out
}

func auditFeedJourney(t *testing.T, b *harness.Butler) {
	butler := b.Token("butler", "b-001", "p1", "d1")
	butler2 := b.Token("butler", "b-002", "p1", "d2")
	other := b.Token("butler", "b-101", "p2", "d1")
	auditor := b.Token("auditor", "au-001", "p1", "")
	auditorD1 := b.Token("auditor", "au-002", "p1", "d1")
	auditorP2 := b.Token("auditor", "au-101", "p2", "")
	quality := b.Token("quality", "q-001", "p1", "")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	cashier := b.Token("cashier", "c-001", "p1", "")

	complaint := map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678", "category": "漏水",
		"description": "卫生间漏水", "soothing": "已安抚"}
	// A command from HTTP carries the request's correlation id.
	c1 := b.Must(201, "POST", "/api/v1/complaints", butler, complaint, "X-Correlation-ID", "req-audit-1").JSON["id"].(string)
	b.Must(200, "POST", "/api/v1/complaints/"+c1+"/follow-up", butler, map[string]any{"channel": "phone", "note": "已联系维修"})
	wo := registerWorkOrder(t, b, butler2, map[string]any{"unit": "7-1-101", "description": "门禁损坏"})
	b.Must(201, "POST", "/api/v1/complaints", other, complaint)
	time.Sleep(20 * time.Millisecond)
	mid := time.Now().UTC()
	time.Sleep(20 * time.Millisecond)
	c2 := b.Must(201, "POST", "/api/v1/complaints", butler, complaint).JSON["id"].(string)

	// Three days on, the R-W3 rule records the silent repair's breach; the
	// complaint rules record each leak complaint overdue (R-C2: 24 h) and its
	// two ended days without a supervisor's look (R-C8: 03-03, 03-04).
	b.Clock.Advance(72*time.Hour + time.Minute)
	var all feedPage
	b.Eventually(20*time.Second, func() error {
		all = feed(t, b, auditor, "size=1000")
		// The first complaint's owner went to the household first (R-D3):
		// its contact, the two complaints, the follow-up, the repair, the breach,
		// then the complaints' overdue marks and missed daily looks.
		// The rules' events come in the order their ticks found them.
		if len(all.Items) != 12 {
			return fmt.Errorf("feed: %+v", all.Items)
		}
		byType := map[string]int{}
		for _, e := range all.Items[5:] {
			byType[e.Type]++
		}
		if !reflect.DeepEqual(byType, map[string]int{"workorder.sla_breached.v1": 1, "complaint.overdue.v1": 2, "complaint.review_missed.v1": 4}) {
			return fmt.Errorf("the rules' events: %v", byType)
		}
		return nil
	})

	// Oldest first, by position; one document per event, all of project p1.
	for i, e := range all.Items {
		if e.Project != "p1" || (i > 0 && e.Position <= all.Items[i-1].Position) {
			t.Fatalf("feed item %d: %+v", i, e)
		}
	}
	if all.Total != 12 || all.After != all.Items[11].Position {
		t.Fatalf("total %d after %v: %+v", all.Total, all.After, all)
	}
	contact, reg := all.Items[0], all.Items[1]
	var breach feedEvent
	for _, e := range all.Items {
		if e.Type == "workorder.sla_breached.v1" {
			breach = e
		}
	}
	if contact.Stream != "household-p1:3-2-501" || contact.Type != "household.contact_recorded.v1" || contact.CorrelationID != "req-audit-1" {
		t.Fatalf("the owner's contact, recorded by the registration's request: %+v", contact)
	}
	if reg.Stream != "complaint-"+c1 || reg.Type != "complaint.registered.v2" || reg.Actor != "b-001" || reg.Role != "butler" ||
		reg.District != "d1" || reg.Revision != 0 || reg.OccurredAt == "" || reg.RecordedAt == "" {
		t.Fatalf("registration: %+v", reg)
	}
	// Caused by a request: the correlation id is the request's, and names the cause.
	if reg.CorrelationID != "req-audit-1" || reg.CausationID != "req-audit-1" {
		t.Fatalf("registration's correlation %q causation %q, want the request's", reg.CorrelationID, reg.CausationID)
	}
	// Caused by an event: the breach names the work order's registration, the state the rule judged, and joins its chain.
	woReg := all.Items[3]
	if woReg.Stream != "workorder-"+wo || breach.Stream != woReg.Stream || breach.Actor != "system" ||
		breach.CausationID != woReg.ID || breach.CorrelationID != woReg.CorrelationID || woReg.CorrelationID == "" {
		t.Fatalf("breach %+v, caused by %+v", breach, woReg)
	}

	// Roles: auditors, quality and the project manager; nobody else.
	harness.Problem(t, b.Do("GET", "/api/v1/audit/events", butler, nil), 403, "forbidden_role")
	harness.Problem(t, b.Do("GET", "/api/v1/audit/events", cashier, nil), 403, "forbidden_role")
	for _, tok := range []string{quality, pm} {
		if got := feed(t, b, tok, "size=1000"); !reflect.DeepEqual(got, all) {
			t.Fatalf("another reader's feed differs: %+v", got)
		}
	}

	// Scope: another project's events never appear; a district-bound token sees its district only.
	p2 := feed(t, b, auditorP2, "")
	if len(p2.Items) != 5 || p2.Items[1].Project != "p2" || p2.Items[1].Actor != "b-101" || p2.Items[0].Stream != "household-p2:3-2-501" {
		t.Fatalf("p2 feed: %+v", p2)
	}
	d1 := feed(t, b, auditorD1, "size=1000")
	if got := streams(d1.Items); !reflect.DeepEqual(got, map[string]int{"household-p1:3-2-501": 1, "complaint-" + c1: 5, "complaint-" + c2: 4}) {
		t.Fatalf("d1 feed: %v", got)
	}
	harness.Problem(t, b.Do("GET", "/api/v1/audit/events?district=d1,d2", auditorD1, nil), 403, "forbidden_scope")
	if got := streams(feed(t, b, auditorD1, "district=d1").Items); len(got) != 3 {
		t.Fatalf("d1 feed asking for d1: %v", got)
	}

	// Filters.
	for query, want := range map[string]map[string]int{
		"actor=b-002":                  {"workorder-" + wo: 1},
		"actor=b-002,system":           {"workorder-" + wo: 2, "complaint-" + c1: 3, "complaint-" + c2: 3},
		"type=complaint.registered.v2": {"complaint-" + c1: 1, "complaint-" + c2: 1},
		"stream=complaint-" + c1:       {"complaint-" + c1: 5},
		"district=d2":                  {"workorder-" + wo: 2},
		"from=" + url.QueryEscape(mid.Format(time.RFC3339Nano)):     {"complaint-" + c2: 4, "workorder-" + wo: 1, "complaint-" + c1: 3},
		"to=" + url.QueryEscape(mid.Format(time.RFC3339Nano)):       {"household-p1:3-2-501": 1, "complaint-" + c1: 2, "workorder-" + wo: 1},
		"after=" + fmt.Sprint(all.Items[3].Position):                {"complaint-" + c2: 4, "workorder-" + wo: 1, "complaint-" + c1: 3},
		"stream=complaint-" + c2 + "&type=complaint.followed_up.v1": {},
	} {
		if got := streams(feed(t, b, auditor, query).Items); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}

	// Paging by position: each page continues after the last one's position.
	var paged []feedEvent
	for q := "size=2"; ; {
		p := feed(t, b, auditor, q)
		paged = append(paged, p.Items...)
		if len(p.Items) < 2 {
			if len(p.Items) == 0 && p.After != 0 {
				t.Fatalf("an empty page names a position: %+v", p)
			}
			break
		}
		q = fmt.Sprintf("size=2&after=%v", p.After)
	}
	if !reflect.DeepEqual(paged, all.Items) {
		t.Fatalf("paged feed differs:\n%+v\n%+v", paged, all.Items)
	}

	// NDJSON: the whole feed, one event per line, with the same filters.
	ndjson := func(tok, query string) []feedEvent {
		t.Helper()
		r := b.Must(200, "GET", "/api/v1/audit/events?"+query, tok, nil, "Accept", "application/x-ndjson")
		if ct := r.Header.Get("Content-Type"); ct != "application/x-ndjson" {
			t.Fatalf("content type %q", ct)
		}
		var out []feedEvent
		sc := bufio.NewScanner(bytes.NewReader(r.Raw))
		for sc.Scan() {
			var e feedEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			out = append(out, e)
		}
		return out
	}
	if got := ndjson(auditor, ""); !reflect.DeepEqual(got, all.Items) {
		t.Fatalf("ndjson feed:\n%+v\nwant\n%+v", got, all.Items)
	}
	if got := ndjson(auditorD1, "type=complaint.registered.v2"); len(got) != 2 || got[0].Stream != "complaint-"+c1 || got[1].Stream != "complaint-"+c2 {
		t.Fatalf("ndjson, d1 registrations: %+v", got)
	}
	if got := ndjson(auditor, "actor=nobody"); len(got) != 0 {
		t.Fatalf("ndjson, no match: %+v", got)
	}

	// Bad parameters.
	for query, field := range map[string]string{"after=abc": "after", "after=-1": "after", "size=0": "size", "size=1001": "size",
		"from=yesterday": "from", "to=2026-13-01": "to", "colour=red": "colour"} {
		r := b.Do("GET", "/api/v1/audit/events?"+query, auditor, nil)
		harness.Problem(t, r, 400, "invalid_query")
		if fields, _ := r.JSON["fields"].(map[string]any); fields[field] == nil {
			t.Errorf("%s: fields %v, want %s", query, r.JSON["fields"], field)
		}
	}
}
