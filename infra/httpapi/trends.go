package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/projections"
)

// trendRoutes serves GET /api/v1/trends/satisfaction: mean return-visit
// ratings of complaints or work orders grouped by month, district, butler
// or category (area for work orders), for analysts.
func (s *server) trendRoutes(api *echo.Group) {
	api.GET("/trends/satisfaction", func(c echo.Context) error {
		module := c.QueryParam("module")
		if module == "" {
			module = "complaints"
		}
		col := map[string]collection{"complaints": complaints, "work-orders": workOrders, "visits": visitRecords}
		cl, ok := col[module]
		bad := map[string]string{}
		if !ok {
			bad["module"] = "complaints, work-orders or visits"
		}
		by := c.QueryParam("by")
		if by == "" {
			by = "month"
		}
		if ok && !slices.Contains(projections.TrendGroups[cl.index], by) {
			bad["by"] = "one of " + strings.Join(projections.TrendGroups[cl.index], ", ")
		}
		if len(bad) > 0 {
			return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid", Fields: bad}
		}
		// The usual list filters narrow what is grouped.
		q := c.QueryParams()
		q.Del("module")
		q.Del("by")
		c.Request().URL.RawQuery = q.Encode()
		query, err := s.listQuery(c, cl)
		if err != nil {
			return err
		}
		points, err := projections.SatisfactionTrend(c.Request().Context(), s.d.Reads, cl.index, by, query)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"module": module, "by": by, "points": points})
	})
}
