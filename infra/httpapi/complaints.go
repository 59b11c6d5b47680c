package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/projections"
)

var complaints = collection{
	index:        projections.ComplaintsIndex,
	streamPrefix: complaint.StreamPrefix,
	filters: []string{"status", "category", "butler", "assignee", "unit", "month", "level", "return_visited", "risk_flagged",
		"overdue", "overdue_unexplained", "resolved_in_time", "valid", "important", "review_missed", "records_unfiled"},
	dateField: "registered_at",
	sorts:     []string{"registered_at", "updated_at", "resolved_at", "satisfaction", "status", "deadline"},
	owners:    true,
	facets:    []string{"status", "category", "district", "butler", "level"},
}

func (s *server) complaintRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/complaints")
	g.POST("", create("/api/v1/complaints", h.Complaint.Register.Handle))
	g.GET("", s.list(complaints))
	g.GET("/:id", s.detail(complaints))
	g.GET("/:id/history", s.history(complaints))
	g.GET("/:id/proof", s.proof(complaints))
	g.POST("/:id/dispatch", act(func(c *commands.DispatchComplaint, id string) { c.ComplaintID = id }, h.Complaint.Dispatch.Handle))
	g.POST("/:id/follow-up", act(func(c *commands.FollowUpComplaint, id string) { c.ComplaintID = id }, h.Complaint.FollowUp.Handle))
	g.POST("/:id/explain-delay", act(func(c *commands.ExplainComplaintDelay, id string) { c.ComplaintID = id }, h.Complaint.ExplainDelay.Handle))
	g.POST("/:id/resolve", act(func(c *commands.ResolveComplaint, id string) { c.ComplaintID = id }, h.Complaint.Resolve.Handle))
	g.POST("/:id/return-visit", act(func(c *commands.ReturnVisitComplaint, id string) { c.ComplaintID = id }, h.Complaint.ReturnVisit.Handle))
	g.POST("/:id/close", act(func(c *commands.CloseComplaint, id string) { c.ComplaintID = id }, h.Complaint.Close.Handle))
	g.POST("/:id/escalate", act(func(c *commands.EscalateComplaint, id string) { c.ComplaintID = id }, h.Complaint.Escalate.Handle))
	g.POST("/:id/flag-risk", act(func(c *commands.FlagComplaintRisk, id string) { c.ComplaintID = id }, h.Complaint.FlagRisk.Handle))
	g.POST("/:id/mark-important", act(func(c *commands.MarkComplaintImportant, id string) { c.ComplaintID = id }, h.Complaint.MarkImportant.Handle))
	g.POST("/:id/review", act(func(c *commands.ReviewComplaint, id string) { c.ComplaintID = id }, h.Complaint.Review.Handle))
}
