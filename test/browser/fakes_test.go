package browser_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// contractProxy stands between the browser and Butler. Every request goes
// to Butler; only when Butler does not serve a route of the console's API
// contract yet (/work/briefs/console-contract.md: GET /overdue, KPI
// tables, multi-dimensional trends, ?format=xlsx|csv) does the proxy answer
// from a stand-in built from Butler's own answers, and says so in the
// test's log. Once those routes are merged the stand-ins are never used.
// They exist only in this test.
type contractProxy struct {
	t        *testing.T
	upstream string
	proxy    *httputil.ReverseProxy
	mu       sync.Mutex
	faked    map[string]int
}

func newContractProxy(t *testing.T, upstream string) *contractProxy {
	u, _ := url.Parse(upstream)
	return &contractProxy{t: t, upstream: upstream, proxy: httputil.NewSingleHostReverseProxy(u), faked: map[string]int{}}
}

var contractPaths = regexp.MustCompile(`^/api/v1/(overdue|kpis/[a-z0-9-]+/table|trends/[a-z0-9-]+)$`)

func (p *contractProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if r.Method != http.MethodGet || (!contractPaths.MatchString(r.URL.Path) && format == "") {
		p.proxy.ServeHTTP(w, r)
		return
	}
	status, body, header := p.get(r, r.URL.RequestURI())
	var problem struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	}
	_ = json.Unmarshal(body, &problem)
	missing := (status == 404 && (problem.Code == "route_not_found" || problem.Code == "unknown_kpi")) ||
		(status == 400 && (problem.Fields["format"] != "" || problem.Fields["by"] != "" || problem.Fields["from"] != "" || problem.Fields["source"] != ""))
	if !missing {
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return
	}
	p.mu.Lock()
	p.faked[r.URL.Path+fmt.Sprintf(" (format=%s)", format)]++
	p.mu.Unlock()
	var out any
	var err error
	q := r.URL.Query()
	q.Del("format")
	switch {
	case r.URL.Path == "/api/v1/overdue":
		out, err = p.overdue(r)
	case strings.HasSuffix(r.URL.Path, "/table"):
		out, err = p.kpiTable(r, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/kpis/"), "/table"), q)
	case strings.HasPrefix(r.URL.Path, "/api/v1/trends/"):
		out, err = p.trend(r, q)
	default:
		var m map[string]any
		st, b, _ := p.get(r, r.URL.Path+"?"+q.Encode())
		if st != 200 {
			w.WriteHeader(st)
			_, _ = w.Write(b)
			return
		}
		err = json.Unmarshal(b, &m)
		out = m
	}
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if format == "xlsx" || format == "csv" {
		p.sheet(w, out)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// Used lists the stand-ins that answered.
func (p *contractProxy) Used() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faked
}

func (p *contractProxy) get(r *http.Request, uri string) (int, []byte, http.Header) {
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, p.upstream+uri, nil)
	req.Header.Set("Authorization", r.Header.Get("Authorization"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 502, []byte(err.Error()), nil
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

func (p *contractProxy) getJSON(r *http.Request, uri string, v any) error {
	st, b, _ := p.get(r, uri)
	if st != 200 {
		return fmt.Errorf("GET %s: %d %s", uri, st, b)
	}
	return json.Unmarshal(b, v)
}

type listAnswer struct {
	Items []map[string]any `json:"items"`
}

func (p *contractProxy) overdue(r *http.Request) (any, error) {
	var l listAnswer
	if err := p.getJSON(r, "/api/v1/complaints?size=20&sort=-registered_at", &l); err != nil {
		return nil, err
	}
	items := []map[string]any{}
	counts := map[string]int{}
	for i, c := range l.Items {
		kind, overdue := "complaint_overdue", true
		if i%3 == 2 {
			kind, overdue = "return_visit_due", false
		}
		counts[kind]++
		items = append(items, map[string]any{"kind": kind, "record": "complaints", "id": c["id"],
			"title": fmt.Sprintf("%v %v", c["unit"], c["description"]), "district": c["district"], "butler": c["butler"],
			"due_at": c["registered_at"], "overdue": overdue})
		if len(items) == 8 {
			break
		}
	}
	return map[string]any{"as_of": time.Now().Format(time.RFC3339), "counts": counts, "items": items}, nil
}

func months(from, to string) []string {
	f, err1 := time.Parse("2006-01", from)
	t, err2 := time.Parse("2006-01", to)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for m := f; !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

func (p *contractProxy) kpiTable(r *http.Request, name string, q url.Values) (any, error) {
	dim := strings.Split(q.Get("by"), ",")[0]
	groups := []string{"d1", "d2", "d3", "d4"}
	if dim == "butler" {
		groups = []string{"b-001", "b-002", "b-003", "b-004", "b-005", "b-006", "b-007", "b-008"}
	}
	var rows []map[string]any
	for _, m := range months(q.Get("from"), q.Get("to")) {
		for _, g := range groups {
			var k map[string]any
			if err := p.getJSON(r, fmt.Sprintf("/api/v1/kpis/%s?month=%s&%s=%s", name, m, dim, g), &k); err != nil {
				return nil, err
			}
			if d, _ := k["denominator"].(float64); d == 0 && k["value"] == nil {
				continue
			}
			rows = append(rows, map[string]any{dim: g, "month": m, "value": k["value"], "numerator": k["numerator"], "denominator": k["denominator"]})
		}
	}
	return map[string]any{"kpi": name, "title": name, "target": 1.0, "higher_is_better": true, "by": []string{dim, "month"}, "rows": rows}, nil
}

func (p *contractProxy) trend(r *http.Request, q url.Values) (any, error) {
	var series []map[string]any
	for _, d := range []string{"d1", "d2", "d3", "d4"} {
		var t struct {
			Points []struct {
				Group   string  `json:"group"`
				Visits  int     `json:"visits"`
				Average float64 `json:"average"`
			} `json:"points"`
		}
		if err := p.getJSON(r, "/api/v1/trends/satisfaction?by=month&district="+d, &t); err != nil {
			return nil, err
		}
		var points []map[string]any
		for _, pt := range t.Points {
			points = append(points, map[string]any{"month": pt.Group, "value": pt.Average, "exact": pt.Average, "count": pt.Visits})
		}
		series = append(series, map[string]any{"group": map[string]string{"district": d}, "points": points})
	}
	return map[string]any{"metric": "satisfaction", "title": "满意度", "by": []string{"month", "district"}, "series": series}, nil
}

// sheet writes rows (items, rows or events of an answer) as an XLSX.
func (p *contractProxy) sheet(w http.ResponseWriter, answer any) {
	m, _ := answer.(map[string]any)
	var rows []any
	for _, k := range []string{"items", "rows", "events"} {
		if v, ok := m[k].([]any); ok {
			rows = v
		}
	}
	if rows == nil {
		b, _ := json.Marshal(m["rows"])
		_ = json.Unmarshal(b, &rows)
	}
	keys := map[string]bool{}
	for _, r := range rows {
		if o, ok := r.(map[string]any); ok {
			for k := range o {
				keys[k] = true
			}
		}
	}
	var cols []string
	for k := range keys {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	f := excelize.NewFile()
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c
	}
	_ = f.SetSheetRow("Sheet1", "A1", &header)
	for i, r := range rows {
		o, _ := r.(map[string]any)
		vals := make([]any, len(cols))
		for j, c := range cols {
			vals[j] = fmt.Sprint(o[c])
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow("Sheet1", cell, &vals)
	}
	var buf bytes.Buffer
	_ = f.Write(&buf)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="export.xlsx"`)
	_, _ = w.Write(buf.Bytes())
}
