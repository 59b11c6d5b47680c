package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/projections"
)

var (
	visitPlans = collection{
		index: projections.VisitPlansIndex, streamPrefix: visit.PlanStreamPrefix,
		filters: []string{"butler", "month", "ratio_met", "households"}, dateField: "planned_at",
		sorts: []string{"planned_at", "visit_ratio"}, facets: []string{"butler", "month"},
	}
	visitRecords = collection{
		index: projections.VisitsIndex, streamPrefix: visit.StreamPrefix,
		filters:   []string{"kind", "butler", "household", "visit_kind", "plan_id", "month", "visit_id", "festival", "duplicate", "rectified", "fed_back", "warn"},
		dateField: "at", sorts: []string{"at"}, facets: []string{"kind", "visit_kind", "butler"},
	}
	returnVisits = collection{
		index: projections.ReturnVisitsIndex, streamPrefix: visit.DueStreamPrefix,
		filters:   []string{"status", "reason", "household", "butler", "month", "overdue", "on_time", "settled"},
		dateField: "since", sorts: []string{"since", "due_by"}, facets: []string{"status", "reason"},
	}
)

// visitRoutes serves visit plans, visits with their opinions and
// warnings, and required return visits (R-H1…R-H5).
func (s *server) visitRoutes(api *echo.Group) {
	h := s.d.Commands
	p := api.Group("/visit-plans")
	p.POST("", create("/api/v1/visit-plans", h.Visit.Plan.Handle))
	p.GET("", s.list(visitPlans))
	p.GET("/:id", s.detail(visitPlans))
	p.GET("/:id/history", s.history(visitPlans))
	p.GET("/:id/proof", s.proof(visitPlans))

	v := api.Group("/visits")
	v.POST("", create("/api/v1/visits", h.Visit.Record.Handle))
	v.GET("", s.list(visitRecords))
	v.GET("/:id", s.detail(visitRecords))
	v.GET("/:id/history", s.history(visitRecords))
	v.GET("/:id/proof", s.proof(visitRecords))
	v.POST("/:id/rectify", act(func(c *commands.RectifyOpinion, id string) { c.VisitID = id }, h.Visit.RectifyOpinion.Handle))
	v.POST("/:id/feedback", act(func(c *commands.FeedBackOpinion, id string) { c.VisitID = id }, h.Visit.FeedBackOpinion.Handle))
	v.POST("/:id/warn", act(func(c *commands.WarnCommonProblem, id string) { c.VisitID = id }, h.Visit.WarnCommonProblem.Handle))

	api.GET("/visit-reports", s.visitReport)

	r := api.Group("/return-visits")
	r.POST("/misfortunes", create("/api/v1/return-visits", h.Visit.RecordMisfortune.Handle))
	r.GET("", s.list(returnVisits))
	r.GET("/:id", s.detail(returnVisits))
	r.GET("/:id/history", s.history(returnVisits))
	r.GET("/:id/proof", s.proof(returnVisits))
	r.POST("/:id/satisfy", act(func(c *commands.SatisfyReturnVisit, id string) { c.DueID = id }, h.Visit.SatisfyReturnVisit.Handle))
}
