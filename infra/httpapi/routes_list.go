package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// Routes lists the API's routes a handler built by New serves, as
// "METHOD /path/{param}", sorted: those under /api/ and the health checks;
// the catch-all routes of groups (404s) and the console's pages and assets
// are left out.
func Routes(h http.Handler) []string {
	e, ok := h.(*echo.Echo)
	if !ok {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range e.Routes() {
		api := strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz" || r.Path == "/readyz"
		if !api || strings.HasSuffix(r.Path, "/*") || r.Method == echo.RouteNotFound || !slices.Contains(methods, r.Method) {
			continue
		}
		k := r.Method + " " + openAPIPath(r.Path)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

var methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// openAPIPath writes Echo's /a/:id as OpenAPI's /a/{id}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}
