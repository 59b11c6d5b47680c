package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/patrol"
	"github.com/butler-pm/butler/domain/vacant"
	"github.com/butler-pm/butler/projections"
)

var (
	vacantUnits = collection{
		index: projections.VacantUnitsIndex, streamPrefix: vacant.StreamPrefix, owners: true,
		filters: []string{"status", "unit", "butler", "missed_months", "weather_open", "weather_days"}, dateField: "registered_at",
		sorts: []string{"registered_at", "open_findings"}, facets: []string{"status", "butler"},
	}
	vacantMonths = collection{
		index: projections.VacantMonthsIndex, filters: []string{"kind", "unit_id", "unit", "butler", "month", "compliant", "missed", "weather", "date", "served", "settled"},
		sorts: []string{"month"}, facets: []string{"compliant", "missed"},
	}
	patrols = collection{
		index: projections.PatrolsIndex, streamPrefix: patrol.StreamPrefix,
		filters: []string{"kind", "butler", "date", "month"}, dateField: "at",
		sorts: []string{"at"}, facets: []string{"butler", "date"},
	}
)

// vacantRoutes serves the vacant-unit register and the public-area
// patrols (R-V1…R-V4).
func (s *server) vacantRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/vacant-units")
	g.POST("", create("/api/v1/vacant-units", h.Vacant.Register.Handle))
	// R-V2: special weather on the project's calendar makes every vacant unit's extra service due.
	api.POST("/special-weather", create("", h.RainyDay.RecordSpecialWeather.Handle))
	g.GET("", s.list(vacantUnits))
	g.GET("/months", s.list(vacantMonths))
	g.GET("/:id", s.detail(vacantUnits))
	g.GET("/:id/history", s.history(vacantUnits))
	g.GET("/:id/proof", s.proof(vacantUnits))
	g.POST("/:id/services", act(func(c *commands.ServiceVacantUnit, id string) { c.UnitID = id }, h.Vacant.Service.Handle))
	g.POST("/:id/weather-services", act(func(c *commands.WeatherServiceVacantUnit, id string) { c.UnitID = id }, h.Vacant.WeatherService.Handle))
	g.POST("/:id/findings", act(func(c *commands.OpenVacantFinding, id string) { c.UnitID = id }, h.Vacant.OpenFinding.Handle))
	g.POST("/:id/findings/contact", act(func(c *commands.ContactVacantContractor, id string) { c.UnitID = id }, h.Vacant.ContactContractor.Handle))
	g.POST("/:id/findings/close", act(func(c *commands.CloseVacantFinding, id string) { c.UnitID = id }, h.Vacant.CloseFinding.Handle))
	g.POST("/:id/occupy", act(func(c *commands.OccupyVacantUnit, id string) { c.UnitID = id }, h.Vacant.Occupy.Handle))

	p := api.Group("/patrols")
	p.POST("", create("/api/v1/patrols", h.Vacant.RecordPatrol.Handle))
	p.GET("", s.list(patrols))
	p.GET("/:id", s.detail(patrols))
	p.GET("/:id/history", s.history(patrols))
	p.GET("/:id/proof", s.proof(patrols))
	p.POST("/:id/work-orders", func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		var cmd commands.ReportPatrolFinding
		if err := bind(c, &cmd); err != nil {
			return err
		}
		cmd.PatrolID = id
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		r, err := h.Vacant.ReportPatrolFinding.Handle(c.Request().Context(), m, cmd)
		if err != nil {
			return err
		}
		return accepted(c, 201, "/api/v1/work-orders/"+r.ID, r)
	})
}
