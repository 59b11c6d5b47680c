package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/projections"
)

var keys = collection{
	index:        projections.KeysIndex,
	streamPrefix: key.StreamPrefix,
	filters:      []string{"status", "unit", "tag", "custodian", "borrower", "on_loan", "loan_overdue", "lost", "loss_reported", "month", "loan_forms_unfiled"},
	dateField:    "registered_at",
	sorts:        []string{"registered_at", "updated_at", "due_at", "tag", "unit", "status"},
	facets:       []string{"status", "district", "custodian"},
}

var keyDays = collection{
	index:        projections.KeyDaysIndex,
	streamPrefix: reconcile.StreamPrefix,
	filters:      []string{"day", "month", "custodian", "reconciled", "missed", "discrepancy", "settled", "supervisor_checked"},
	dateField:    "date",
	sorts:        []string{"date", "updated_at"},
	facets:       []string{"reconciled", "missed", "discrepancy"},
}

// keyRoutes serves /api/v1/keys (R-K1…R-K4) and the key register's days
// under /api/v1/keys/reconciliations (R-K3).
func (s *server) keyRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/keys")
	g.POST("", create("/api/v1/keys", h.Key.Register.Handle))
	g.GET("", s.list(keys))
	g.POST("/reconciliations", create("/api/v1/keys/reconciliations", h.Key.Reconcile.Handle))
	g.GET("/reconciliations", s.list(keyDays))
	g.GET("/reconciliations/:id", s.detail(keyDays))
	g.GET("/reconciliations/:id/history", s.history(keyDays))
	g.GET("/reconciliations/:id/proof", s.proof(keyDays))
	g.POST("/supervisor-checks", create("/api/v1/keys/reconciliations", h.Key.CheckRegister.Handle))
	g.GET("/:id", s.detail(keys))
	g.GET("/:id/history", s.history(keys))
	g.GET("/:id/proof", s.proof(keys))
	g.POST("/:id/lend", act(func(c *commands.LendKey, id string) { c.KeyID = id }, h.Key.Lend.Handle))
	g.POST("/:id/return", act(func(c *commands.ReturnKey, id string) { c.KeyID = id }, h.Key.Return.Handle))
	g.POST("/:id/report-loss", act(func(c *commands.ReportKeyLoss, id string) { c.KeyID = id }, h.Key.ReportLoss.Handle))
	g.POST("/:id/approve-loss", act(func(c *commands.ApproveKeyLoss, id string) { c.KeyID = id }, h.Key.ApproveLoss.Handle))
}
