package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/workplan"
	"github.com/butler-pm/butler/projections"
)

var workPlans = collection{
	index: projections.WorkPlansIndex, streamPrefix: workplan.StreamPrefix,
	filters: []string{"month", "owners", "attendees", "discussed"}, dateField: "drafted_at",
	sorts: []string{"drafted_at", "updated_at", "month"}, facets: []string{"month"},
}

// workPlanRoutes serves /api/v1/work-plans (R-S8): the department's plan
// per month, its discussion with the staff, progress and subordinates'
// goals. Progress is shared: every staff member of the project reads the
// plans, whatever their district.
func (s *server) workPlanRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/work-plans")
	g.POST("", create("/api/v1/work-plans", h.Staff.DraftWorkPlan.Handle))
	g.GET("", s.workPlanList)
	g.GET("/:id", s.workPlanDetail)
	g.GET("/:id/history", s.history(workPlans))
	g.POST("/:id/discussions", act(func(c *commands.DiscussWorkPlan, id string) { c.PlanID = id }, h.Staff.DiscussWorkPlan.Handle))
	g.POST("/:id/progress", act(func(c *commands.ShareWorkPlanProgress, id string) { c.PlanID = id }, h.Staff.ShareWorkPlanProgress.Handle))
	g.POST("/:id/goals", act(func(c *commands.SetWorkPlanGoal, id string) { c.PlanID = id }, h.Staff.SetWorkPlanGoal.Handle))
}

// workPlanList is the list with the project as its only scope: a plan
// belongs to the whole project, and is shared with every district.
func (s *server) workPlanList(c echo.Context) error {
	q, err := s.listQuery(c, workPlans)
	if err != nil {
		return err
	}
	if !PrincipalOf(c).ProjectWide() {
		delete(q.Terms, "district") // the project's plans carry no district
	}
	release, err := s.searchSlot(c)
	if err != nil {
		return err
	}
	res, err := s.d.Reads.Search(c.Request().Context(), workPlans.index, q)
	release()
	if errors.Is(err, projections.ErrInvalidCursor) {
		return apperr.Errorf(apperr.BadRequest, "invalid_cursor", "cursor is not one this list handed out")
	}
	if err != nil {
		return err
	}
	out := List{Items: make([]json.RawMessage, 0, len(res.Hits)), Total: res.Total, Cursor: res.Cursor, Facets: res.Facets}
	for _, h := range res.Hits {
		out.Items = append(out.Items, h.Source)
	}
	return c.JSON(http.StatusOK, out)
}

// workPlanDetail is the plan, to anyone in its project.
func (s *server) workPlanDetail(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	doc, err := s.d.Reads.Get(c.Request().Context(), projections.WorkPlansIndex, id)
	if err == nil {
		var sc scoped
		if err = json.Unmarshal(doc.Source, &sc); err == nil && sc.Project != PrincipalOf(c).Project {
			err = projections.ErrNotFound
		}
	}
	if errors.Is(err, projections.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "not_found", "no work plan %s (a plan just drafted becomes readable within a second)", id)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(doc.Version))
	return c.JSONBlob(http.StatusOK, doc.Source)
}
