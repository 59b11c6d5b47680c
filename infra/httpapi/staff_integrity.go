package httpapi

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/integrity"
	"github.com/butler-pm/butler/projections"
)

var integrityReports = collection{
	index: projections.IntegrityIndex, filters: []string{"status", "kind", "month"}, dateField: "filed_at",
	sorts: []string{"filed_at"}, facets: []string{"status", "kind"},
}

// integrityRoutes serves confidential integrity reports (R-S6): anyone
// files; only operations reads (from the event stream: reports are kept
// out of every search index) and handles them.
func (s *server) integrityRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/integrity-reports")
	g.POST("", create("/api/v1/integrity-reports", h.Staff.FileIntegrityReport.Handle))
	g.GET("", func(c echo.Context) error {
		if !PrincipalOf(c).HasRole(commands.IntegrityReaderRoles...) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "integrity reports are read by operations only")
		}
		return s.list(integrityReports)(c)
	})
	g.GET("/:id", func(c echo.Context) error {
		if !PrincipalOf(c).HasRole(commands.IntegrityReaderRoles...) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "integrity reports are read by operations only")
		}
		id, err := pathID(c)
		if err != nil {
			return err
		}
		// A report is its events: as of a moment, those recorded until then.
		var at time.Time
		if c.QueryParam("as_of") != "" {
			if at, err = s.asOfParam(c); err != nil {
				return err
			}
		}
		return s.streamHistoryUntil(c, integrity.Stream(id), "integrity report "+id, at)
	})
	g.POST("/:id/handle", act(func(c *commands.HandleIntegrityReport, id string) { c.ReportID = id }, h.Staff.HandleIntegrityReport.Handle))
}
