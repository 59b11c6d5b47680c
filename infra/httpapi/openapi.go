package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// GET /api/v1/openapi.json: the API in OpenAPI 3.1, built from apiRoutes
// (openapi_routes.go). A route's parameters and answers come from its
// shape; the few routes with their own query parameters list them in
// routeParams.

// shape is what kind of route a route is.
type shape int

const (
	shOther   shape = iota // its own answer (a JSON object)
	shList                 // a list: search, filters, facets, paging, export
	shRecord               // one record, as_of
	shHistory              // a record's events, export
	shProof                // a record's audit proof
	shCreate               // a command that creates a record (201)
	shCommand              // a command on a record (200)
	shTable                // a KPI table or a trend: by, from, to, export
)

type apiRoute struct {
	method, path string
	shape        shape
	summary      string
}

// noExport are lists that answer JSON only: they show owners' personal
// data by role, record each read, and are not for bulk copies.
var noExport = map[string]bool{"/api/v1/households": true, "/api/v1/access-log": true}

// routeParams are the query parameters of routes with their own.
var routeParams = map[string][]string{
	"GET /api/v1/kpis/{name}":            {"district", "butler", "month", "as_of", "project"},
	"GET /api/v1/kpis/{name}/table":      {"by", "from", "to", "district", "butler", "format"},
	"GET /api/v1/trends/{metric}":        {"by", "from", "to", "district", "butler", "category", "source", "format", "module"},
	"GET /api/v1/overdue":                {"district", "kind", "size"},
	"GET /api/v1/audit/events":           {"after", "size", "type", "stream", "from", "to"},
	"GET /api/v1/audit/proof":            {"position", "size"},
	"GET /api/v1/audit/consistency":      {"from", "to"},
	"GET /api/v1/audit/export":           {"from", "to", "stream"},
	"GET /api/v1/admin/projections":      nil,
	"GET /api/v1/integrity-reports/{id}": {"as_of"},
}

var listParams = []string{"q", "from", "to", "district", "sort", "size", "offset", "cursor", "facets", "format"}

var paramDescriptions = map[string]string{
	"q":        "Chinese full text",
	"from":     "from this time (RFC 3339, or a date in the project's zone); for tables and trends a month YYYY-MM",
	"to":       "until this time (exclusive; a date includes its day); for tables and trends a month YYYY-MM",
	"district": "one district (a district-bound token sees its own only)",
	"sort":     "a field, - for descending",
	"size":     "page size, 0 for the total and facets only",
	"offset":   "skip this many (at most 10,000; use cursor deeper)",
	"cursor":   "the previous page's cursor",
	"facets":   "true: count the list's facet fields",
	"format":   "csv or xlsx to download (or Accept: text/csv / the XLSX type); json by default",
	"as_of":    "the record or figure as it could be known then",
	"by":       "dimensions, comma-separated: district, butler, month (trends: category too)",
	"butler":   "one butler",
	"month":    "a month YYYY-MM",
	"kind":     "kinds, comma-separated",
	"source":   "satisfaction: complaints, work-orders, visits, activities (comma-separated)",
	"category": "one category (complaints: category; work orders: area; visits: visit kind)",
	"module":   "the first trend endpoint's form: complaints or work-orders",
	"project":  "the token's project (another is refused)",
}

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
	openAPIErr  error
)

// openAPI is the document, built once.
func openAPI() ([]byte, error) {
	openAPIOnce.Do(func() { openAPIDoc, openAPIErr = json.Marshal(buildOpenAPI()) })
	return openAPIDoc, openAPIErr
}

func openAPIRoute(e *echo.Echo) {
	e.GET("/api/v1/openapi.json", func(c echo.Context) error {
		doc, err := openAPI()
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "application/json", doc)
	})
}

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func jsonContent(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }

func buildOpenAPI() obj {
	paths := obj{}
	for _, r := range apiRoutes {
		item, _ := paths[r.path].(obj)
		if item == nil {
			item = obj{}
			paths[r.path] = item
		}
		item[strings.ToLower(r.method)] = operation(r)
	}
	var tags []obj
	names := make([]string, 0, len(apiTags))
	for k := range apiTags {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		tags = append(tags, obj{"name": k, "description": apiTags[k]})
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Butler 管家 API", "version": "v1",
			"description": "Residential property management in the district-butler style: commands record events, reads come from read models. Every route under /api/v1 but this one needs a bearer token (butler token issue). Errors are application/problem+json with a stable code. docs/api.md explains the rest."},
		"servers":  []obj{{"url": "/"}},
		"tags":     tags,
		"security": []obj{{"bearer": []string{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
			"schemas": obj{
				"Problem": obj{"type": "object", "required": []string{"status", "code"}, "properties": obj{
					"type": obj{"type": "string"}, "title": obj{"type": "string"}, "status": obj{"type": "integer"},
					"detail": obj{"type": "string"}, "code": obj{"type": "string"}, "instance": obj{"type": "string"},
					"fields": obj{"type": "object", "additionalProperties": obj{"type": "string"}}}},
				"List": obj{"type": "object", "required": []string{"items", "total"}, "properties": obj{
					"items": obj{"type": "array", "items": obj{"type": "object"}}, "total": obj{"type": "integer"},
					"cursor": obj{"type": "string"},
					"facets": obj{"type": "object", "additionalProperties": obj{"type": "array", "items": obj{"type": "object",
						"properties": obj{"term": obj{"type": "string"}, "count": obj{"type": "integer"}}}}}}},
				"History": obj{"type": "object", "properties": obj{"events": obj{"type": "array", "items": obj{"type": "object",
					"properties": obj{"id": obj{"type": "string"}, "type": obj{"type": "string"}, "stream": obj{"type": "string"},
						"revision": obj{"type": "integer"}, "recorded_at": obj{"type": "string", "format": "date-time"},
						"occurred_at": obj{"type": "string", "format": "date-time"}, "actor": obj{"type": "object"},
						"data": obj{"type": "object"}}}}}},
				"Accepted": obj{"type": "object", "required": []string{"id", "revision"}, "properties": obj{
					"id": obj{"type": "string"}, "revision": obj{"type": "integer"}}},
				"Record":  obj{"type": "object", "description": "a read model's document (the module's page lists its fields)"},
				"Command": obj{"type": "object", "description": "the command's fields (the module's page lists them)"},
			},
		},
	}
}

func operation(r apiRoute) obj {
	tag := "health"
	if rest, ok := strings.CutPrefix(r.path, "/api/v1/"); ok {
		tag, _, _ = strings.Cut(rest, "/")
	}
	summary := r.summary
	if summary == "" {
		summary = map[shape]string{shList: "list and search", shRecord: "one record", shHistory: "the record's history, every event oldest first",
			shProof: "proof that the record's events are in the signed audit log", shCreate: "record a new one"}[r.shape]
	} else if r.shape == shCommand && len(strings.Fields(summary)) <= 2 {
		summary = "command: " + summary
	}
	op := obj{"tags": []string{tag}, "summary": summary,
		"operationId": strings.ToLower(r.method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(r.path)}
	var params []obj
	for _, seg := range strings.Split(r.path, "/") {
		if strings.HasPrefix(seg, "{") {
			params = append(params, obj{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
	}
	query := routeParams[r.method+" "+r.path]
	switch r.shape {
	case shList:
		query = listParams
		if noExport[r.path] {
			query = slices.DeleteFunc(slices.Clone(listParams), func(p string) bool { return p == "format" })
		}
	case shRecord:
		query = []string{"as_of"}
	case shHistory:
		query = append(query, "format")
	}
	for _, q := range query {
		params = append(params, obj{"name": q, "in": "query", "required": false, "schema": obj{"type": "string"},
			"description": paramDescriptions[q]})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if r.path == "/healthz" || r.path == "/readyz" || r.path == "/api/v1/openapi.json" {
		op["security"] = []obj{}
	}
	ok := obj{"description": "OK", "content": jsonContent(obj{"type": "object"})}
	spreadsheet := func(schema obj) obj {
		return obj{"description": "OK (CSV with a UTF-8 BOM, or XLSX, when asked by format= or Accept)", "content": obj{
			"application/json": obj{"schema": schema},
			mimeCSV:            obj{"schema": obj{"type": "string"}},
			mimeXLSX:           obj{"schema": obj{"type": "string", "contentMediaType": mimeXLSX}}}}
	}
	switch r.shape {
	case shList:
		if noExport[r.path] {
			ok = obj{"description": "OK", "content": jsonContent(ref("List"))}
		} else {
			ok = spreadsheet(ref("List"))
		}
	case shRecord:
		ok = obj{"description": "OK", "content": jsonContent(ref("Record"))}
	case shHistory:
		ok = spreadsheet(ref("History"))
	case shTable:
		ok = spreadsheet(obj{"type": "object"})
	case shCreate, shCommand:
		op["requestBody"] = obj{"required": true, "content": jsonContent(ref("Command"))}
		ok = obj{"description": "recorded", "content": jsonContent(ref("Accepted"))}
	}
	responses := obj{"default": obj{"description": "an error", "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}}
	if r.shape == shCreate {
		responses["201"] = obj{"description": "created", "content": jsonContent(ref("Accepted"))}
	} else {
		responses["200"] = ok
	}
	op["responses"] = responses
	return op
}

// Undescribed compares the routes a server serves (Routes) with the
// description: served but not described, and described but not served,
// each as the line to add to (or remove from) apiRoutes.
func Undescribed(served []string) (missing, extra []string) {
	described := map[string]bool{}
	for _, r := range apiRoutes {
		described[r.method+" "+r.path] = true
	}
	for _, s := range served {
		if !described[s] {
			method, path, _ := strings.Cut(s, " ")
			missing = append(missing, fmt.Sprintf("{http.Method%s%s, %q, %s, \"what it does\"},",
				method[:1], strings.ToLower(method[1:]), path, guessShape(method, path)))
		}
		delete(described, s)
	}
	for k := range described {
		extra = append(extra, k)
	}
	slices.Sort(extra)
	return missing, extra
}

// guessShape suggests a new route's shape from its method and path.
func guessShape(method, path string) string {
	last := path[strings.LastIndex(path, "/")+1:]
	switch {
	case method != http.MethodGet && strings.Count(path, "/") == 3:
		return "shCreate"
	case method != http.MethodGet:
		return "shCommand"
	case last == "history":
		return "shHistory"
	case last == "proof":
		return "shProof"
	case strings.HasPrefix(last, "{"):
		return "shRecord"
	}
	return "shList"
}
