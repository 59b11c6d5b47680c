package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/projections"
)

var (
	activities = collection{
		index: projections.ActivitiesIndex, streamPrefix: activity.StreamPrefix,
		filters: []string{"status", "month", "large", "approved_in_time", "coverage_met", "butler"}, dateField: "date",
		sorts: []string{"date", "lead_days", "coverage"}, facets: []string{"status", "month"},
	}
	activityPlans = collection{
		index: projections.ActivityPlansIndex, filters: []string{"year", "status"},
		dateField: "surveyed_at", sorts: []string{"surveyed_at"}, facets: []string{"status"},
	}
)

// activityRoutes serves the annual activity plan and the activities
// (R-A1…R-A4). Nothing here deletes: records are kept (R-A4).
func (s *server) activityRoutes(api *echo.Group) {
	h := s.d.Commands
	p := api.Group("/activity-plans")
	p.GET("", s.list(activityPlans))
	p.POST("/survey", record(h.Activity.SurveyPlan.Handle))
	p.POST("/draft", record(h.Activity.DraftPlan.Handle))
	p.POST("/approve", record(h.Activity.ApprovePlan.Handle))

	g := api.Group("/activities")
	g.POST("", create("/api/v1/activities", h.Activity.Propose.Handle))
	g.GET("", s.list(activities))
	g.GET("/:id", s.detail(activities))
	g.GET("/:id/history", s.history(activities))
	g.GET("/:id/proof", s.proof(activities))
	g.POST("/:id/approve", act(func(c *commands.ApproveActivity, id string) { c.ActivityID = id }, h.Activity.Approve.Handle))
	g.POST("/:id/hold", act(func(c *commands.HoldActivity, id string) { c.ActivityID = id }, h.Activity.Hold.Handle))
	g.POST("/:id/survey", act(func(c *commands.SurveyActivity, id string) { c.ActivityID = id }, h.Activity.Survey.Handle))
	g.POST("/:id/summarise", act(func(c *commands.SummariseActivity, id string) { c.ActivityID = id }, h.Activity.Summarise.Handle))
}
