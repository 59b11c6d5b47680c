package app

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/infra/httpapi"
	"github.com/butler-pm/butler/projections"
)

// adminRoutes serves /api/v1/admin/projections: status for the roles that
// watch the system, rebuilds for those who run it.
func (a *App) adminRoutes(api *echo.Group) {
	g := api.Group("/admin/projections")
	g.GET("", func(c echo.Context) error {
		p := httpapi.PrincipalOf(c)
		if !p.HasRole(commands.RoleProjectManager, commands.RoleQuality, commands.RoleAuditor, commands.RoleAnalyst) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "projection status is for project managers, quality, auditors and analysts")
		}
		st, err := a.Status(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"projections": st})
	})
	g.POST("/:name/rebuild", func(c echo.Context) error {
		p := httpapi.PrincipalOf(c)
		if !p.HasRole(commands.RoleProjectManager, commands.RoleQuality) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "rebuilding a read model is for project managers and quality")
		}
		res, err := a.Rebuild(c.Request().Context(), c.Param("name"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	})
}

// Rebuild rebuilds one read model from $all into a fresh index and switches
// to it without downtime.
func (a *App) Rebuild(ctx context.Context, name string) (projections.RebuildResult, error) {
	for _, r := range a.runners {
		if r.Projection().Name() != name {
			continue
		}
		res, err := r.Rebuild(ctx, a.events, a.search)
		switch {
		case errors.Is(err, projections.ErrRebuildRunning):
			return res, apperr.Errorf(apperr.Conflict, "rebuild_running", "%v", err)
		case errors.Is(err, projections.ErrNoGenerations):
			return res, apperr.Errorf(apperr.Unavailable, "rebuild_unsupported", "%v", err)
		}
		return res, err
	}
	var names []string
	for _, r := range a.runners {
		names = append(names, r.Projection().Name())
	}
	return projections.RebuildResult{}, apperr.Errorf(apperr.NotFound, "unknown_projection", "no read model named %q (known: %v)", name, names)
}
