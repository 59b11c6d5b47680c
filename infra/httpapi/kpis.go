package httpapi

import (
	"net/http"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

var monthPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// kpiRoutes serves GET /api/v1/kpis (the catalogue) and /api/v1/kpis/{name}.
// The project is the token's; a district-bound caller sees only their
// district. ?as_of= computes the KPI from the events recorded until then
// (asof.go).
func (s *server) kpiRoutes(api *echo.Group) {
	byName := map[string]projections.KPI{}
	type entry struct {
		Name        string `json:"name"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Target      string `json:"target,omitempty"`
	}
	var catalogue []entry
	for _, k := range projections.KPIs() {
		byName[k.Name] = k
		catalogue = append(catalogue, entry{k.Name, kpiTitle(k), k.Description, k.Target})
	}
	s.kpiTableRoute(api, byName)
	api.GET("/kpis", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]any{"kpis": catalogue})
	})
	api.GET("/kpis/:name", func(c echo.Context) error {
		k, ok := byName[c.Param("name")]
		if !ok {
			return apperr.Errorf(apperr.NotFound, "unknown_kpi", "no KPI named %q (GET /api/v1/kpis lists them)", c.Param("name"))
		}
		p := PrincipalOf(c)
		bad := map[string]string{}
		for key := range c.QueryParams() {
			switch key {
			case "project", "district", "butler", "month", "as_of":
			default:
				bad[key] = "unknown query parameter (project, district, butler, month, as_of)"
			}
		}
		var at time.Time
		if v := c.QueryParam("as_of"); v != "" {
			var err error
			if at, err = timeParam("as_of", v, s.d.Zone); err != nil {
				bad["as_of"] = err.Error()
			}
		}
		f := projections.KPIFilter{Project: p.Project, District: c.QueryParam("district"), Butler: c.QueryParam("butler"), Month: c.QueryParam("month")}
		if pr := c.QueryParam("project"); pr != "" && pr != p.Project {
			return apperr.Errorf(apperr.Forbidden, "forbidden_scope", "your token is for project %s", p.Project)
		}
		if f.Month != "" && !monthPattern.MatchString(f.Month) {
			bad["month"] = "a month as YYYY-MM"
		}
		if len(bad) > 0 {
			return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
		}
		if !p.ProjectWide() {
			if f.District != "" && f.District != p.District {
				return apperr.Errorf(apperr.Forbidden, "forbidden_scope", "your token is for district %s", p.District)
			}
			f.District = p.District
		}
		var res projections.KPIResult
		var err error
		if at.IsZero() {
			res, err = k.Compute(c.Request().Context(), s.d.Reads, f)
		} else {
			res, err = s.kpiAsOf(c, k, f, at)
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	})
}
