package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/projections"
)

var (
	renovations = collection{
		index: projections.RenovationsIndex, owners: true,
		streamPrefix: renovation.StreamPrefix,
		filters:      []string{"status", "unit", "butler", "owner", "contractor", "month", "site_checked", "briefed", "has_open_violations", "missing_documents", "area", "talk_overdue", "talk_overdue_months"},
		dateField:    "filed_at",
		sorts:        []string{"filed_at", "updated_at", "started_at", "completed_at", "open_violations", "status"},
		facets:       []string{"status", "district", "butler", "has_open_violations"},
	}
	renovationViolations = collection{
		index:     projections.RenovationViolationsIndex,
		filters:   []string{"renovation_id", "unit", "butler", "reported_to", "month", "open", "rectified", "closed"},
		dateField: "recorded_at",
		sorts:     []string{"recorded_at"},
		facets:    []string{"open", "district", "butler"},
	}
	renovationDays = collection{
		index:   projections.RenovationDaysIndex,
		filters: []string{"renovation_id", "butler", "day", "month", "inspected", "missed", "failed"},
		sorts:   []string{"day"},
		facets:  []string{"inspected", "missed", "failed"},
	}
	renovationRegister = collection{
		index:        projections.RenovationRegisterIndex,
		streamPrefix: register.StreamPrefix,
		filters:      []string{"week", "month", "met", "short", "settled", "checkers"},
		sorts:        []string{"week"},
	}
)

// renovationRoutes serves /api/v1/renovations (R-R1…R-R6).
func (s *server) renovationRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/renovations")
	g.POST("", create("/api/v1/renovations", h.Renovation.File.Handle))
	g.GET("", s.list(renovations))
	g.GET("/violations", s.list(renovationViolations))
	g.GET("/inspection-days", s.list(renovationDays))
	g.POST("/register-checks", create("/api/v1/renovations/register-checks", h.Renovation.CheckRegister.Handle))
	g.GET("/register-checks", s.list(renovationRegister))
	g.GET("/register-checks/:id", s.detail(renovationRegister))
	g.GET("/register-checks/:id/history", s.history(renovationRegister))
	g.GET("/register-checks/:id/proof", s.proof(renovationRegister))
	g.GET("/:id", s.detail(renovations))
	g.GET("/:id/history", s.history(renovations))
	g.GET("/:id/proof", s.proof(renovations))
	g.POST("/:id/documents", act(func(c *commands.FileRenovationDocument, id string) { c.RenovationID = id }, h.Renovation.FileDocument.Handle))
	g.POST("/:id/approve", act(func(c *commands.ApproveRenovation, id string) { c.RenovationID = id }, h.Renovation.Approve.Handle))
	g.POST("/:id/site-check", act(func(c *commands.CheckRenovationSite, id string) { c.RenovationID = id }, h.Renovation.CheckSite.Handle))
	g.POST("/:id/briefing", act(func(c *commands.BriefRenovationRules, id string) { c.RenovationID = id }, h.Renovation.BriefRules.Handle))
	g.POST("/:id/start", act(func(c *commands.StartRenovation, id string) { c.RenovationID = id }, h.Renovation.Start.Handle))
	g.POST("/:id/inspections", act(func(c *commands.InspectRenovation, id string) { c.RenovationID = id }, h.Renovation.Inspect.Handle))
	g.POST("/:id/violations", act(func(c *commands.RecordRenovationViolation, id string) { c.RenovationID = id }, h.Renovation.RecordViolation.Handle))
	g.POST("/:id/violations/rectify", act(func(c *commands.RectifyRenovationViolation, id string) { c.RenovationID = id }, h.Renovation.RectifyViolation.Handle))
	g.POST("/:id/violations/close", act(func(c *commands.CloseRenovationViolation, id string) { c.RenovationID = id }, h.Renovation.CloseViolation.Handle))
	g.POST("/:id/complete", act(func(c *commands.CompleteRenovation, id string) { c.RenovationID = id }, h.Renovation.Complete.Handle))
	g.POST("/:id/acceptance", act(func(c *commands.InspectRenovationForAcceptance, id string) { c.RenovationID = id }, h.Renovation.InspectForAcceptance.Handle))
	g.POST("/:id/findings/fix", act(func(c *commands.FixRenovationFinding, id string) { c.RenovationID = id }, h.Renovation.FixFinding.Handle))
	g.POST("/:id/close", act(func(c *commands.CloseRenovation, id string) { c.RenovationID = id }, h.Renovation.Close.Handle))
	// R-R7: areas divided among staff, regular talks with the renovating owner.
	g.POST("/:id/assign", act(func(c *commands.AssignRenovation, id string) { c.RenovationID = id }, h.Renovation.Assign.Handle))
	g.POST("/:id/talks", act(func(c *commands.TalkWithRenovatingOwner, id string) { c.RenovationID = id }, h.Renovation.TalkWithOwner.Handle))
}
