package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/workorder"
)

// RegisterWorkOrder writes down a repair request (R-W1, R-W2). Area is
// unit (the owner's home; Unit required) or public; Warranty is in or
// out. District is needed only when a project-wide principal registers.
type RegisterWorkOrder struct {
	Unit        string `json:"unit"`
	Description string `json:"description"`
	Area        string `json:"area"`
	Warranty    string `json:"warranty"`
	Paid        bool   `json:"paid"`
	Urgent      bool   `json:"urgent"`
	Leak        bool   `json:"leak"`
	District    string `json:"district,omitempty"`
}

type RegisterWorkOrderHandler struct{ d handlerDeps }

func NewRegisterWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) RegisterWorkOrderHandler {
	return RegisterWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h RegisterWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd RegisterWorkOrder) (Result, error) {
	if err := requireRole(m.Principal, workOrderIntakeRoles...); err != nil {
		return Result{}, err
	}
	bad := missing("description", cmd.Description)
	if bad == nil {
		bad = map[string]string{}
	}
	switch workorder.Area(cmd.Area) {
	case workorder.AreaUnit:
		if cmd.Unit == "" {
			bad["unit"] = "required for an in-home repair"
		}
	case workorder.AreaPublic:
	default:
		bad["area"] = "must be unit or public"
	}
	if w := workorder.Warranty(cmd.Warranty); w != workorder.WarrantyIn && w != workorder.WarrantyOut {
		bad["warranty"] = "must be in or out"
	}
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	return createRecord(ctx, h.d, m, cmd.District, workorder.Stream, workOrderCodes, func(r newRecord) (changer, error) {
		return workorder.Register(r.ID, workorder.Registration{
			Project: r.Project, District: r.District, Unit: cmd.Unit, Description: cmd.Description,
			Area: workorder.Area(cmd.Area), Warranty: workorder.Warranty(cmd.Warranty),
			Paid: cmd.Paid, Urgent: cmd.Urgent, Leak: cmd.Leak,
		}, r.Now)
	})
}
