package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

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

// backupName is a backup's directory name in the backup directory.
var backupName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// backupRoutes serves POST /api/v1/admin/backups: a verified backup of the
// running embedded store and its keys, written into the server's backup
// directory (--backup-dir) under a name (default: the time).
func (a *App) backupRoutes(api *echo.Group) {
	api.POST("/admin/backups", func(c echo.Context) error {
		if !httpapi.PrincipalOf(c).HasRole(commands.RoleProjectManager) {
			return apperr.Errorf(apperr.Forbidden, "forbidden_role", "backups hold every owner's data: they are for the project manager")
		}
		var req struct {
			Name string `json:"name"`
		}
		if c.Request().ContentLength != 0 {
			if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
				return apperr.Errorf(apperr.BadRequest, "malformed_json", "the body is not a JSON object: %v", err)
			}
		}
		if req.Name == "" {
			req.Name = time.Now().UTC().Format("20060102T150405Z")
		}
		if !backupName.MatchString(req.Name) || strings.HasSuffix(req.Name, ".partial") {
			return apperr.Invalid(map[string]string{"name": "letters, digits, '.', '_' and '-', at most 64, not ending in .partial"})
		}
		snap, ok := a.events.(Snapshotter)
		if !ok {
			return apperr.Errorf(apperr.Unprocessable, "backup_unsupported",
				"the event store is EventStoreDB: back it up with EventStoreDB's own backups (docs/operations.md)")
		}
		dest := filepath.Join(a.cfg.BackupDir, req.Name)
		if _, err := os.Stat(dest); err == nil {
			return apperr.Errorf(apperr.Conflict, "backup_exists", "a backup named %s exists", req.Name)
		}
		if err := os.MkdirAll(a.cfg.BackupDir, 0o700); err != nil {
			return err
		}
		if !a.backingUp.TryLock() {
			return apperr.Errorf(apperr.Conflict, "backup_running", "a backup is being made; try again when it ends")
		}
		defer a.backingUp.Unlock()
		m, err := Backup(c.Request().Context(), a.cfg, snap, dest)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]any{"path": dest, "manifest": m})
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
