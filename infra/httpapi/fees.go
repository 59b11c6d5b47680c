package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/domain/fee/debrief"
	"github.com/butler-pm/butler/domain/fee/fastroute"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/fee/plan"
	"github.com/butler-pm/butler/projections"
)

var (
	feeBills = collection{
		index: projections.FeeBillsIndex, owners: true,
		streamPrefix: fee.StreamPrefix,
		filters:      []string{"status", "unit", "butler", "period", "in_arrears", "arrears_bucket", "receipts", "influential", "guided"},
		dateField:    "issued_at",
		sorts:        []string{"issued_at", "updated_at", "due_at", "outstanding_fen", "total_fen", "days_overdue"},
		facets:       []string{"status", "arrears_bucket", "district", "butler", "period"},
	}
	feePlans = collection{
		index:        projections.FeePlansIndex,
		streamPrefix: plan.StreamPrefix,
		filters:      []string{"month", "butlers"},
		dateField:    "set_at",
		sorts:        []string{"set_at", "month", "total_target_fen"},
	}
	feeReconciliations = collection{
		index:        projections.FeeReconciliationsIndex,
		streamPrefix: ledger.StreamPrefix,
		filters:      []string{"week", "month", "reconciled_by", "mismatch", "explained", "open"},
		dateField:    "reconciled_at",
		sorts:        []string{"reconciled_at", "updated_at", "difference_fen"},
		facets:       []string{"open", "mismatch"},
	}
	feeCashierWeeks = collection{
		index:        projections.FeeCashierWeeksIndex,
		streamPrefix: cashbook.StreamPrefix,
		filters:      []string{"week", "month", "receipts", "unreconciled"},
		sorts:        []string{"week", "updated_at", "total_fen"},
		facets:       []string{"unreconciled"},
	}
	feeDebriefs = collection{
		index:        projections.FeeDebriefsIndex,
		streamPrefix: debrief.StreamPrefix,
		filters:      []string{"day", "month", "held_by", "attendees", "units"},
		dateField:    "held_at",
		sorts:        []string{"held_at", "day"},
	}
	feeFastRoutes = collection{
		index: projections.FeeFastRoutesIndex, streamPrefix: fastroute.StreamPrefix,
		filters:   []string{"unit", "bill_id", "department", "raised_by", "status", "month", "resolved_on_time"},
		dateField: "raised_at",
		sorts:     []string{"raised_at", "due_by", "resolved_at", "updated_at"},
		facets:    []string{"status", "department"},
	}
	feeCollection = collection{
		index:   projections.FeeCollectionIndex,
		filters: []string{"month", "butler"},
		sorts:   []string{"month", "butler", "collected_fen", "target_fen"},
	}
)

// feeRoutes serves /api/v1/fees: bills with payments and reminders (R-F2,
// R-F3), monthly plans (R-F1), ledger reconciliations (R-F4) and each
// butler's collection against plan (R-F5).
func (s *server) feeRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/fees")
	g.POST("/bills", create("/api/v1/fees/bills", h.Fee.IssueBill.Handle))
	g.GET("/bills", s.list(feeBills))
	g.GET("/bills/:id", s.detail(feeBills))
	g.GET("/bills/:id/history", s.history(feeBills))
	g.GET("/bills/:id/proof", s.proof(feeBills))
	g.POST("/bills/:id/payments", act(func(c *commands.RecordFeePayment, id string) { c.BillID = id }, h.Fee.RecordPayment.Handle))
	g.POST("/bills/:id/reminders", act(func(c *commands.RemindArrears, id string) { c.BillID = id }, h.Fee.RemindArrears.Handle))
	// R-F6: influential owners in arrears, handled by guidance (疏导).
	g.POST("/bills/:id/influential", act(func(c *commands.FlagInfluentialOwner, id string) { c.BillID = id }, h.Fee.FlagInfluential.Handle))
	g.POST("/bills/:id/guidance", act(func(c *commands.RecordArrearsGuidance, id string) { c.BillID = id }, h.Fee.RecordGuidance.Handle))

	g.POST("/plans", create("/api/v1/fees/plans", h.Fee.SetCollectionPlan.Handle))
	g.GET("/plans", s.list(feePlans))
	g.GET("/plans/:id", s.detail(feePlans))
	g.GET("/plans/:id/history", s.history(feePlans))
	g.GET("/plans/:id/proof", s.proof(feePlans))
	g.POST("/plans/:id/revise", act(func(c *commands.ReviseCollectionPlan, id string) { c.PlanID = id }, h.Fee.ReviseCollectionPlan.Handle))

	g.POST("/reconciliations", create("/api/v1/fees/reconciliations", h.Fee.ReconcileLedgers.Handle))
	g.GET("/reconciliations", s.list(feeReconciliations))
	g.GET("/reconciliations/:id", s.detail(feeReconciliations))
	g.GET("/reconciliations/:id/history", s.history(feeReconciliations))
	g.GET("/reconciliations/:id/proof", s.proof(feeReconciliations))
	g.POST("/reconciliations/:id/explain", act(func(c *commands.ExplainLedgerMismatch, id string) { c.ReconciliationID = id }, h.Fee.ExplainLedgerMismatch.Handle))

	// R-F4: the cashier ledger, one week a record, that reconciliations take the cashier's total from.
	g.POST("/cashier-ledger", create("/api/v1/fees/cashier-ledger", h.Fee.BookCashierEntry.Handle))
	g.GET("/cashier-ledger", s.list(feeCashierWeeks))
	g.GET("/cashier-ledger/:id", s.detail(feeCashierWeeks))
	g.GET("/cashier-ledger/:id/history", s.history(feeCashierWeeks))
	g.GET("/cashier-ledger/:id/proof", s.proof(feeCashierWeeks))

	// R-F6: the collection team's daily debrief and the fast route (直通车).
	g.POST("/debriefs", create("/api/v1/fees/debriefs", h.Fee.HoldDebrief.Handle))
	g.GET("/debriefs", s.list(feeDebriefs))
	g.GET("/debriefs/:id", s.detail(feeDebriefs))
	g.GET("/debriefs/:id/history", s.history(feeDebriefs))
	g.POST("/fast-route", create("/api/v1/fees/fast-route", h.Fee.RaiseFastRoute.Handle))
	g.GET("/fast-route", s.list(feeFastRoutes))
	g.GET("/fast-route/:id", s.detail(feeFastRoutes))
	g.GET("/fast-route/:id/history", s.history(feeFastRoutes))
	g.POST("/fast-route/:id/resolve", act(func(c *commands.ResolveFastRoute, id string) { c.ObstacleID = id }, h.Fee.ResolveFastRoute.Handle))

	g.GET("/collection", s.listWhere(feeCollection, map[string][]string{"kind": {"butler-month"}}))
}
