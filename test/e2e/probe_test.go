package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/butler-pm/butler/infra/httpapi"
	"github.com/butler-pm/butler/test/harness"
)

// Every route the server registers, sent bad input by every kind of
// caller, answers a 4xx (or a 2xx for what is allowed), never a 5xx: no
// client input makes the server fail. New routes are probed by themselves.
func TestNoClientInputIsAServerError(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	served := httpapi.Routes(b.App.Handler())
	if len(served) < 200 {
		t.Fatalf("only %d routes found in the server's router", len(served))
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	bodies := []string{"", "{}", "[]", `{"id":`, `{"unit":12,"month":"2026-13","satisfaction":"九","valid":"yes","units":[{"unit":null}],"minutes":-1}`,
		`{"description":"` + strings.Repeat("漏", 3000) + `"}`}
	queries := []string{"", "?size=abc&from=x&to=2026-99&month=13&q=%ZZ", "?format=xlsx&by=nonsense&size=0", "?as_of=yesterday&after=!!"}
	roles := [][4]string{
		{"butler", "b-001", "p1", "d1"}, {"supervisor", "s-001", "p1", ""}, {"project_manager", "pm-1", "p1", ""},
		{"auditor", "a-1", "p1", ""}, {"analyst", "an-1", "p1", ""},
	}
	failures := 0
	statuses := map[int]int{}
	defer func() { t.Logf("statuses: %v", statuses) }()
	for _, route := range served {
		method, path, _ := strings.Cut(route, " ")
		if strings.HasPrefix(path, "/assets/") || path == "/" {
			continue
		}
		p := param.ReplaceAllString(path, "no-such-id")
		for _, role := range roles {
			tok := b.Token(role[0], role[1], role[2], role[3])
			switch method {
			case "GET", "HEAD", "DELETE":
				for _, q := range queries {
					if r := b.Do(method, p+q, tok, nil); count(statuses, r.Status) >= 500 {
						failures++
						t.Errorf("%s %s%s as %s: %d %s", method, p, q, role[0], r.Status, r.Raw)
					}
				}
			default:
				for _, body := range bodies {
					if r := b.Do(method, p, tok, body); count(statuses, r.Status) >= 500 {
						failures++
						t.Errorf("%s %s as %s with %.40q: %d %s", method, p, role[0], body, r.Status, r.Raw)
					}
				}
			}
			if failures > 20 {
				t.Fatal("more than 20 server errors; stopping")
			}
		}
	}
}

// count tallies a status and returns it.
func count(statuses map[int]int, status int) int {
	statuses[status]++
	return status
}
