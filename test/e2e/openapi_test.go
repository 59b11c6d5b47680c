package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/butler-pm/butler/infra/httpapi"
	"github.com/butler-pm/butler/test/harness"
)

// Every route the server registers is in GET /api/v1/openapi.json, and
// every route described there is served; the document is OpenAPI 3.1 that
// kin-openapi loads and validates.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	served := httpapi.Routes(b.App.Handler())
	if len(served) < 200 {
		t.Fatalf("only %d routes found in the server's router", len(served))
	}
	missing, extra := httpapi.Undescribed(served)
	if len(missing) > 0 {
		t.Errorf("%d routes are served but not described: add these lines to apiRoutes in infra/httpapi/openapi_routes.go "+
			"(shape: shList, shRecord, shHistory, shProof, shCreate, shCommand, shTable or shOther; a summary of what it does):\n\t%s",
			len(missing), strings.Join(missing, "\n\t"))
	}
	if len(extra) > 0 {
		t.Errorf("described in infra/httpapi/openapi_routes.go but not served (remove them):\n\t%s", strings.Join(extra, "\n\t"))
	}

	r := b.Do("GET", "/api/v1/openapi.json", "", nil) // no token
	if r.Status != 200 {
		t.Fatalf("openapi.json: %d %s", r.Status, r.Raw)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(r.Raw)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	ops := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			if op.Summary == "" || op.Responses == nil || op.Responses.Len() == 0 {
				t.Errorf("%s %s has no summary or no responses", method, path)
			}
		}
	}
	if ops != len(served) {
		t.Fatalf("%d operations described, %d routes served", ops, len(served))
	}
	table := doc.Paths.Find("/api/v1/kpis/{name}/table").Get
	if table == nil || table.Responses.Status(200).Value.Content.Get("text/csv") == nil {
		t.Fatal("the KPI table's description does not offer CSV")
	}
}
