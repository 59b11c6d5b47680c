package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
	"github.com/butler-pm/butler/projections"
)

var foundProperty = collection{
	index: projections.FoundPropertyIndex, streamPrefix: lostproperty.StreamPrefix,
	filters: []string{"status", "month", "finder", "keeper", "hand_in_overdue", "claimant_unit"}, dateField: "found_at",
	sorts: []string{"found_at", "registered_at", "updated_at"}, facets: []string{"status", "finder"},
}

// foundPropertyRoutes serves /api/v1/found-property (R-S9: 拾遗上交): the
// register of found items, their hand-in, return or disposal.
func (s *server) foundPropertyRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/found-property")
	g.POST("", create("/api/v1/found-property", h.Staff.RegisterFoundProperty.Handle))
	g.GET("", s.list(foundProperty))
	g.GET("/:id", s.detail(foundProperty))
	g.GET("/:id/history", s.history(foundProperty))
	g.POST("/:id/hand-in", act(func(c *commands.HandInFoundProperty, id string) { c.ItemID = id }, h.Staff.HandInFoundProperty.Handle))
	g.POST("/:id/return", act(func(c *commands.ReturnFoundProperty, id string) { c.ItemID = id }, h.Staff.ReturnFoundProperty.Handle))
	g.POST("/:id/dispose", act(func(c *commands.DisposeFoundProperty, id string) { c.ItemID = id }, h.Staff.DisposeFoundProperty.Handle))
}
