package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/projections"
)

var unitRegister = collection{
	index:     projections.UnitRegisterIndex,
	filters:   []string{"unit", "building", "status", "key_client"},
	dateField: "registered_at",
	sorts:     []string{"unit", "building", "registered_at", "updated_at"},
	facets:    []string{"district", "building", "status", "key_client"},
	// a unit's record is named by its code within the caller's project
	id: func(c echo.Context) (string, error) {
		u, err := pathUnit(c)
		return household.ID(PrincipalOf(c).Project, u), err
	},
}

// unitRegisterRoutes serve the register of units and households (R-H1)
// with its key clients (R-H7): no personal data, which stays in the
// sealed households (/households).
func (s *server) unitRegisterRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/unit-register")
	g.POST("", create("", h.Unit.Register.Handle))
	g.GET("", s.list(unitRegister))
	g.GET("/:unit", s.detail(unitRegister))
	g.POST("/:unit/status", actOn(pathUnit, func(c *commands.SetUnitStatus, u string) { c.Unit = u }, h.Unit.SetStatus.Handle))
	g.POST("/:unit/mark-key-client", actOn(pathUnit, func(c *commands.MarkKeyClient, u string) { c.Unit = u }, h.Unit.MarkKeyClient.Handle))
	g.POST("/:unit/unmark-key-client", actOn(pathUnit, func(c *commands.UnmarkKeyClient, u string) { c.Unit = u }, h.Unit.UnmarkKeyClient.Handle))
}

// visitReport answers GET /api/v1/visit-reports?month=YYYY-MM[&district=][&butler=]:
// the monthly visit report (走访月报, R-H6), a row per district and butler.
func (s *server) visitReport(c echo.Context) error {
	if c.QueryParam("month") == "" {
		return &apperr.Error{Kind: apperr.BadRequest, Code: "invalid_query", Message: "some query parameters are invalid",
			Fields: map[string]string{"month": "required: a month YYYY-MM"}}
	}
	q, err := s.listQuery(c, visitReports)
	if err != nil {
		return err
	}
	release, err := s.searchSlot(c)
	if err != nil {
		return err
	}
	defer release()
	rows, err := projections.VisitReport(c.Request().Context(), s.d.Reads, projections.Query{Terms: q.Terms})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"month": c.QueryParam("month"), "rows": rows})
}

// visitReports are the filters the visit report takes.
var visitReports = collection{index: projections.VisitsIndex, filters: []string{"month", "butler"}}
