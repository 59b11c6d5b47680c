package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/butler-pm/butler/test/harness"
)

// Text a person will read holds no control characters but newline and tab,
// is valid UTF-8 and has a bounded length; a refused body records nothing.
func TestTextFieldsRefuseControlCharactersAndBadUTF8(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	body := func(description string) string {
		return `{"unit":"3-2-501","owner":"王秀英","phone":"13812345678","category":"漏水","soothing":"已安抚","description":"` + description + `"}`
	}
	before := head(t, b)
	for name, c := range map[string]struct {
		body, code, field string
	}{
		"NUL":           {body(`漏水\u0000`), "invalid_input", "description"},
		"escape":        {body(`\u001b[31m漏水`), "invalid_input", "description"},
		"carriage ret.": {body(`漏水\r\n严重`), "invalid_input", "description"},
		"too long":      {body(strings.Repeat("漏", 2001)), "invalid_input", "description"},
		"bad UTF-8":     {body("漏水\xff\xfe"), "invalid_utf8", ""},
	} {
		r := b.Do("POST", "/api/v1/complaints", butler, c.body)
		harness.Problem(t, r, http.StatusBadRequest, c.code)
		if fields, _ := r.JSON["fields"].(map[string]any); c.field != "" && fields[c.field] == nil {
			t.Errorf("%s: the problem does not name %s: %s", name, c.field, r.Raw)
		}
	}
	if head(t, b) != before {
		t.Fatal("a refused body wrote an event")
	}
	// Newlines and tabs are text.
	b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, body(`楼上漏水\n天花板渗水\t严重`))
}

// A phone is a mainland mobile or a landline with its area code.
func TestPhonesAreNumbersAnOwnerCanBeReachedOn(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	complaint := func(phone string) map[string]any {
		return map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": phone, "category": "漏水", "description": "漏水", "soothing": "已安抚"}
	}
	before := head(t, b)
	for _, bad := range []string{"abc", "138", "12812345678", "+86 138 1234 5678"} {
		r := b.Do("POST", "/api/v1/complaints", butler, complaint(bad))
		harness.Problem(t, r, http.StatusBadRequest, "invalid_input")
		if fields, _ := r.JSON["fields"].(map[string]any); fields["phone"] == nil {
			t.Errorf("%q: the problem does not name the phone: %s", bad, r.Raw)
		}
	}
	if head(t, b) != before {
		t.Fatal("a refused phone wrote an event")
	}
	b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, complaint("010-62345678"))
}

// A complaint's category is one of a closed list, which the error gives.
func TestComplaintCategoriesAreAClosedList(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	r := b.Do("POST", "/api/v1/complaints", butler, map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678",
		"category": "不存在的类别", "description": "漏水", "soothing": "已安抚"})
	harness.Problem(t, r, http.StatusBadRequest, "invalid_input")
	if msg, _ := r.JSON["fields"].(map[string]any)["category"].(string); !strings.Contains(msg, "漏水") || !strings.Contains(msg, "服务态度") {
		t.Fatalf("the error does not list the categories: %s", r.Raw)
	}
}

// Once a project registers its districts, records go only into them; a
// malformed district code is refused whatever the register.
func TestDistrictsComeFromTheProjectsRegister(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	pm := b.Token("project_manager", "pm-001", "p1", "")
	sup := b.Token("supervisor", "s-001", "p1", "")
	complaint := func(district string) map[string]any {
		return map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678", "category": "漏水",
			"description": "漏水", "soothing": "已安抚", "district": district}
	}
	harness.Problem(t, b.Do("POST", "/api/v1/complaints", sup, complaint("../../x")), http.StatusBadRequest, "invalid_input")
	b.Must(http.StatusCreated, "POST", "/api/v1/complaints", sup, complaint("d99")) // no register yet: any well-formed code

	harness.Problem(t, b.Do("POST", "/api/v1/districts", sup, map[string]any{"code": "d1", "name": "东区"}), http.StatusForbidden, "forbidden_role")
	b.Must(http.StatusCreated, "POST", "/api/v1/districts", pm, map[string]any{"code": "d1", "name": "东区"})
	b.Must(http.StatusCreated, "POST", "/api/v1/districts", pm, map[string]any{"code": "d2", "name": "西区"})
	harness.Problem(t, b.Do("POST", "/api/v1/districts", pm, map[string]any{"code": "d1", "name": "东区"}), http.StatusConflict, "district_registered")
	if ds := b.Must(http.StatusOK, "GET", "/api/v1/districts", sup, nil).JSON["districts"].([]any); len(ds) != 2 {
		t.Fatalf("districts %v", ds)
	}

	before := head(t, b)
	r := b.Do("POST", "/api/v1/complaints", sup, complaint("d99"))
	harness.Problem(t, r, http.StatusUnprocessableEntity, "unknown_district")
	if !strings.Contains(r.JSON["detail"].(string), "d1, d2") {
		t.Fatalf("the error does not list the districts: %s", r.Raw)
	}
	harness.Problem(t, b.Do("POST", "/api/v1/complaints", sup, complaint("D1 ")), http.StatusUnprocessableEntity, "unknown_district")
	if head(t, b) != before {
		t.Fatal("a refused district wrote an event")
	}
	b.Must(http.StatusCreated, "POST", "/api/v1/complaints", sup, complaint("d2"))
}

// A yes/no filter takes true or false.
func TestBoolFiltersTakeTrueOrFalse(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	sup := b.Token("supervisor", "s-001", "p1", "")
	r := b.Do("GET", "/api/v1/complaints?return_visited=maybe", sup, nil)
	harness.Problem(t, r, http.StatusBadRequest, "invalid_query")
	if fields, _ := r.JSON["fields"].(map[string]any); fields["return_visited"] == nil {
		t.Fatalf("the problem does not name the filter: %s", r.Raw)
	}
	b.Must(http.StatusOK, "GET", "/api/v1/complaints?return_visited=true,false", sup, nil)
}
