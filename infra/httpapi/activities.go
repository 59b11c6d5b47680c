package httpapi

import (
	"context"

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
	for _, action := range []string{"survey", "draft", "approve"} {
		p.POST("/"+action, record(func(action string) handleFunc[commands.ActivityPlan] {
			return func(ctx context.Context, m commands.Meta, cmd commands.ActivityPlan) (commands.Result, error) {
				cmd.Action = action
				return h.ActivityPlan.Handle(ctx, m, cmd)
			}
		}(action)))
	}

	g := api.Group("/activities")
	g.POST("", create("/api/v1/activities", h.ProposeActivity.Handle))
	g.GET("", s.list(activities))
	g.GET("/:id", s.detail(activities))
	g.GET("/:id/history", s.history(activities))
	for _, action := range []string{"approve", "hold", "survey", "summarise"} {
		g.POST("/"+":id/"+action, act(func(action string) func(c *commands.ActOnActivity, id string) {
			return func(c *commands.ActOnActivity, id string) { c.ActivityID, c.Action = id, action }
		}(action), h.ActOnActivity.Handle))
	}
}
