package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/staff/quality"
	"github.com/butler-pm/butler/projections"
)

var qualityRecords = collection{
	index: projections.QualityIndex, streamPrefix: quality.SpotCheckStreamPrefix,
	filters:   []string{"kind", "butler", "month", "work_order_id", "week", "spot_checked", "matches", "corrected"},
	dateField: "at", sorts: []string{"at"}, facets: []string{"kind", "butler"},
}

// qualityRoutes serves spot checks with corrective actions and the
// supervisors' weekly patrols (R-S4, R-W6).
func (s *server) qualityRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/quality")
	g.GET("", s.list(qualityRecords))
	g.POST("/spot-checks", create("/api/v1/quality/spot-checks", h.Staff.RecordSpotCheck.Handle))
	g.GET("/spot-checks/:id/history", s.history(qualityRecords))
	g.GET("/spot-checks/:id/proof", s.proof(qualityRecords))
	g.POST("/spot-checks/:id/correct", act(func(c *commands.CorrectSpotCheck, id string) { c.CheckID = id }, h.Staff.CorrectSpotCheck.Handle))
	g.POST("/supervisor-patrols", record(h.Staff.RecordSupervisorPatrol.Handle))
}
