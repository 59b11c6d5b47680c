package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

var workOrders = collection{
	index:        projections.WorkOrdersIndex,
	streamPrefix: workorder.StreamPrefix,
	filters: []string{"status", "area", "warranty", "butler", "assignee", "unit", "month", "paid", "urgent", "leak",
		"sla_breached", "return_visit_overdue", "return_visited", "confirmed",
		"visit_month", "visits_made", "urgent_visited", "after_rain_visited", "after_rain_overdue", "rained_after_completion",
		"verified", "verification_result", "visit_found_false", "forms_filed", "forms_unfiled"},
	dateField: "registered_at",
	sorts:     []string{"registered_at", "updated_at", "completed_at", "sla_deadline", "satisfaction", "status"},
	facets:    []string{"status", "area", "warranty", "district", "butler"},
	owners:    true,
}

func (s *server) workOrderRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/work-orders")
	g.POST("", create("/api/v1/work-orders", h.WorkOrder.Register.Handle))
	g.GET("", s.list(workOrders))
	g.GET("/:id", s.detail(workOrders))
	g.GET("/:id/history", s.history(workOrders))
	g.GET("/:id/proof", s.proof(workOrders))
	g.POST("/:id/dispatch", act(func(c *commands.DispatchWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.Dispatch.Handle))
	g.POST("/:id/start", act(func(c *commands.StartWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.Start.Handle))
	g.POST("/:id/follow-up", act(func(c *commands.FollowUpWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.FollowUp.Handle))
	g.POST("/:id/complete", act(func(c *commands.CompleteWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.Complete.Handle))
	g.POST("/:id/confirm", act(func(c *commands.ConfirmWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.Confirm.Handle))
	g.POST("/:id/return-visit", act(func(c *commands.ReturnVisitWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.ReturnVisit.Handle))
	g.POST("/:id/close", act(func(c *commands.CloseWorkOrder, id string) { c.WorkOrderID = id }, h.WorkOrder.Close.Handle))
	g.POST("/:id/verify-return-visit", act(func(c *commands.VerifyWorkOrderReturnVisit, id string) { c.WorkOrderID = id }, h.WorkOrder.VerifyReturnVisit.Handle))

	api.POST("/rainy-days", create("/api/v1/rainy-days", h.RainyDay.Record.Handle))
}
