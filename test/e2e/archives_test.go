package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/butler-pm/butler/test/harness"
)

// R-D1…R-D3 over HTTP: the archivist keeps the archive, the project
// manager signs loans, lists carry no personal data, and every read of
// the owner's data is in the access log auditors see.
func TestArchiveJourney(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	archivist := b.Token("archivist", "ar-001", "p1", "")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	butler := b.Token("butler", "b-001", "p1", "d1")
	other := b.Token("butler", "b-002", "p1", "d2")
	auditor := b.Token("auditor", "au-001", "p1", "")

	harness.Problem(t, b.Do("POST", "/api/v1/archives", butler, map[string]any{"household": "3-2-501", "owner": "王秀英"}), 403, "forbidden_role")
	id := b.Must(http.StatusCreated, "POST", "/api/v1/archives", archivist, map[string]any{"household": "3-2-501", "owner": "王秀英", "phone": "13812345678", "district": "d1"}).JSON["id"].(string)
	path := "/api/v1/archives/" + id
	for _, d := range []string{"业主信息表", "前期物业服务协议", "交房照片"} {
		b.Must(http.StatusOK, "POST", path+"/add-document", archivist, map[string]any{"document": d, "kind": "form"})
	}
	b.Must(http.StatusOK, "POST", path+"/request-loan", archivist, map[string]any{"borrower": "b-001", "purpose": "核对业主信息"})
	harness.Problem(t, b.Do("POST", path+"/sign-loan", archivist, nil), 403, "forbidden_role")
	b.Must(http.StatusOK, "POST", path+"/sign-loan", pm, nil)
	harness.Problem(t, b.Do("POST", path+"/check", archivist, nil), 422, "on_loan")
	b.Must(http.StatusOK, "POST", path+"/return", archivist, nil)
	b.Must(http.StatusOK, "POST", path+"/check", archivist, map[string]any{"missing": []string{"交房照片"}})
	harness.Problem(t, b.Do("POST", path+"/lost", archivist, map[string]any{"reason": "搬迁遗失"}), 422, "accountable_missing")

	// Lists carry no personal data.
	b.WaitFor("/api/v1/archives?household=3-2-501", butler, func(m map[string]any) error {
		if m["total"] != float64(1) {
			return fmt.Errorf("list = %v", m)
		}
		return nil
	})
	if r := b.Must(http.StatusOK, "GET", "/api/v1/archives?household=3-2-501", butler, nil); strings.Contains(string(r.Raw), "王秀英") {
		t.Fatalf("personal data in a list: %s", r.Raw)
	}
	d := b.Must(http.StatusOK, "GET", path, butler, nil)
	if d.JSON["owner"].(map[string]any)["owner"] != "王秀英" {
		t.Fatalf("detail = %s", d.Raw)
	}
	harness.Problem(t, b.Do("GET", path, other, nil), 404, "not_found")
	b.Must(http.StatusOK, "GET", path+"/history", auditor, nil)

	harness.Problem(t, b.Do("GET", "/api/v1/archives/access-log", butler, nil), 403, "forbidden_role")
	b.WaitFor("/api/v1/archives/access-log?archive_id="+id+"&sort=at", auditor, func(m map[string]any) error {
		items, _ := m["items"].([]any)
		if len(items) != 2 {
			return fmt.Errorf("access log = %v", m)
		}
		first, second := items[0].(map[string]any), items[1].(map[string]any)
		if first["reader"] != "b-001" || first["what"] != "detail" || second["reader"] != "au-001" || second["what"] != "history" {
			return fmt.Errorf("access log = %v", items)
		}
		return nil
	})
	b.WaitFor(path, auditor, func(m map[string]any) error {
		rec, _ := m["record"].(map[string]any)
		if rec == nil || rec["last_check_matches"] != false || rec["loans"] != float64(1) {
			return fmt.Errorf("record = %v", m)
		}
		return nil
	})
}
