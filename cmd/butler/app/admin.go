package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/httpapi"
)

// adminRoutes serves /api/v1/admin/projections: status for the roles that
// watch the system, rebuilds for those who run it.
func (a *App) adminRoutes(api *echo.Group) {
	g := api.Group("/admin/projections")
	g.GET("", func(c echo.Context) error {
		p := httpapi.PrincipalOf(c)
		if !p.HasRole(commands.RoleProjectManager, commands.RoleQuality, commands.RoleAuditor, commands.RoleAnalyst) {
			return commands.Errorf(commands.KindForbidden, "forbidden_role", "projection status is for project managers, quality, auditors and analysts")
		}
		st, err := a.Status(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"projections": st})
	})
}
