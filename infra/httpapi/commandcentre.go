package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/projections"
)

var (
	shifts = collection{
		index: projections.ShiftsIndex, streamPrefix: commandcentre.ShiftStreamPrefix,
		filters: []string{"status", "operator", "night", "month"}, dateField: "opened_at",
		sorts: []string{"opened_at"}, facets: []string{"status", "operator"},
	}
	ccMessages = collection{
		index: projections.CCMessagesIndex, streamPrefix: commandcentre.ShiftStreamPrefix,
		filters:   []string{"kind", "shift", "current_shift", "operator", "night", "handled", "handed_over", "unhandled", "month"},
		dateField: "received_at", sorts: []string{"received_at"}, facets: []string{"operator", "night"},
	}
	emergencies = collection{
		index: projections.EmergenciesIndex, streamPrefix: commandcentre.EmergencyStreamPrefix,
		filters: []string{"type", "status", "month"}, dateField: "reported_at",
		sorts: []string{"reported_at"}, facets: []string{"type", "status"},
	}
	ccRecords = collection{
		index: projections.CCRecordsIndex, filters: []string{"kind", "type", "month", "shift", "passed", "by"},
		dateField: "at", sorts: []string{"at"}, facets: []string{"kind", "month"},
	}
)

// commandCentreRoutes serves shifts, messages, emergencies, drills and
// hand-over checks (R-N1…R-N3).
func (s *server) commandCentreRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/shifts")
	g.POST("", create("/api/v1/shifts", h.CommandCentre.OpenShift.Handle))
	g.GET("", s.list(shifts))
	g.GET("/:id", s.detail(shifts))
	g.GET("/:id/history", s.history(shifts))
	g.GET("/:id/proof", s.proof(shifts))
	g.POST("/:id/messages", act(func(c *commands.LogMessage, id string) { c.ShiftID = id }, h.CommandCentre.LogMessage.Handle))
	g.POST("/:id/handle", act(func(c *commands.HandleMessage, id string) { c.ShiftID = id }, h.CommandCentre.HandleMessage.Handle))
	g.POST("/:id/hand-over", act(func(c *commands.HandOverShift, id string) { c.ShiftID = id }, h.CommandCentre.HandOverShift.Handle))
	g.POST("/:id/close", act(func(c *commands.CloseShift, id string) { c.ShiftID = id }, h.CommandCentre.CloseShift.Handle))

	e := api.Group("/emergencies")
	e.POST("", create("/api/v1/emergencies", h.CommandCentre.ReportEmergency.Handle))
	e.GET("", s.list(emergencies))
	e.GET("/:id", s.detail(emergencies))
	e.GET("/:id/history", s.history(emergencies))
	e.GET("/:id/proof", s.proof(emergencies))
	e.POST("/:id/steps", act(func(c *commands.CompleteEmergencyStep, id string) { c.EmergencyID = id }, h.CommandCentre.CompleteEmergencyStep.Handle))
	e.POST("/:id/close", act(func(c *commands.CloseEmergency, id string) { c.EmergencyID = id }, h.CommandCentre.CloseEmergency.Handle))

	cc := api.Group("/command-centre")
	cc.GET("/messages", s.list(ccMessages))
	cc.GET("/records", s.list(ccRecords))
	cc.POST("/drills", record(h.CommandCentre.RecordDrill.Handle))
	cc.POST("/handover-checks", record(h.CommandCentre.RecordHandoverCheck.Handle))
}

// record answers a command that appends to a project-wide log: 201 with
// the log's revision and no Location (the entry is listed, not addressed).
func record[C any](handle handleFunc[C]) echo.HandlerFunc { return create("", handle) }
