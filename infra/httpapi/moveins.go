package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/projections"
)

var (
	moveIns = collection{
		index: projections.MoveInsIndex, owners: true,
		streamPrefix: movein.StreamPrefix,
		filters:      []string{"unit", "owner", "butler", "month", "completed", "occupied", "steps_done", "steps_missing", "receipts", "bills", "documents_unfiled"},
		dateField:    "opened_at",
		sorts:        []string{"opened_at", "updated_at", "completed_at", "steps_completed", "open_defects"},
		facets:       []string{"completed", "steps_missing", "district", "butler"},
	}
	moveInDefects = collection{
		index:     projections.MoveInDefectsIndex,
		filters:   []string{"move_in_id", "unit", "butler", "month", "open", "handed_over", "resolved"},
		dateField: "found_at",
		sorts:     []string{"found_at"},
		facets:    []string{"open", "handed_over", "district"},
	}
	units = collection{
		index: projections.UnitsIndex, owners: true,
		filters: []string{"unit", "status", "owner"},
		sorts:   []string{"unit", "updated_at", "status"},
		facets:  []string{"status", "district"},
	}
)

// moveInRoutes serves /api/v1/move-ins (R-M1…R-M3) and the unit status
// ledger /api/v1/units (房态).
func (s *server) moveInRoutes(api *echo.Group) {
	h := s.d.Commands
	g := api.Group("/move-ins")
	g.POST("", create("/api/v1/move-ins", h.MoveIn.Open.Handle))
	g.GET("", s.list(moveIns))
	g.GET("/defects", s.listWhere(moveInDefects, map[string][]string{"kind": {"defect"}}))
	g.GET("/:id", s.detail(moveIns))
	g.GET("/:id/history", s.history(moveIns))
	g.GET("/:id/proof", s.proof(moveIns))
	g.POST("/:id/documents-reviewed", act(func(c *commands.ReviewMoveInDocuments, id string) { c.MoveInID = id }, h.MoveIn.ReviewDocuments.Handle))
	g.POST("/:id/fees-collected", act(func(c *commands.CollectMoveInFees, id string) { c.MoveInID = id }, h.MoveIn.CollectFees.Handle))
	g.POST("/:id/agreements-signed", act(func(c *commands.SignMoveInAgreements, id string) { c.MoveInID = id }, h.MoveIn.SignAgreements.Handle))
	g.POST("/:id/forms-filled", act(func(c *commands.FillMoveInForms, id string) { c.MoveInID = id }, h.MoveIn.FillForms.Handle))
	g.POST("/:id/unit-inspected", act(func(c *commands.InspectMoveInUnit, id string) { c.MoveInID = id }, h.MoveIn.InspectUnit.Handle))
	g.POST("/:id/keys-handed-over", act(func(c *commands.HandOverMoveInKeys, id string) { c.MoveInID = id }, h.MoveIn.HandOverKeys.Handle))
	g.POST("/:id/occupied", act(func(c *commands.RecordMoveInOccupied, id string) { c.MoveInID = id }, h.MoveIn.RecordOccupied.Handle))
	g.POST("/:id/flag-risk", act(func(c *commands.FlagMoveInRisk, id string) { c.MoveInID = id }, h.MoveIn.FlagRisk.Handle))
	g.POST("/:id/defects/hand-over", act(func(c *commands.HandMoveInDefectToDeveloper, id string) { c.MoveInID = id }, h.MoveIn.HandDefectToDeveloper.Handle))
	g.POST("/:id/defects/resolve", act(func(c *commands.ResolveMoveInDefect, id string) { c.MoveInID = id }, h.MoveIn.ResolveDefect.Handle))

	api.GET("/units", s.list(units))
	api.GET("/units/:id", s.detail(units))
}
