package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/staff/training"
	"github.com/butler-pm/butler/projections"
)

var trainingPlans = collection{
	index:        projections.TrainingPlansIndex,
	streamPrefix: training.StreamPrefix,
	filters:      []string{"period", "status", "months", "drafted_by", "approved_by"},
	dateField:    "drafted_at",
	sorts:        []string{"drafted_at", "updated_at", "period"},
	facets:       []string{"status", "period"},
}

// trainingPlanRoutes serves /api/v1/training-plans (R-S3): a plan per
// project and period, its approval, and the sessions held against it.
func (s *server) trainingPlanRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/training-plans")
	g.POST("", create("/api/v1/training-plans", h.Staff.DraftTrainingPlan.Handle))
	g.GET("", s.list(trainingPlans))
	g.GET("/:id", s.detail(trainingPlans))
	g.GET("/:id/history", s.history(trainingPlans))
	g.GET("/:id/proof", s.proof(trainingPlans))
	g.POST("/:id/approve", act(func(c *commands.ApproveTrainingPlan, id string) { c.PlanID = id }, h.Staff.ApproveTrainingPlan.Handle))
	g.POST("/:id/sessions", act(func(c *commands.RecordTrainingSession, id string) { c.PlanID = id }, h.Staff.RecordTrainingSession.Handle))
}
