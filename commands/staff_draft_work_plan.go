package commands

import (
	"context"
	"errors"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/workplan"
)

// DraftWorkPlan drafts the department's work plan for a month (R-S8):
// measurable targets (visits, activities, collection, …).
type DraftWorkPlan struct {
	Month   string            `json:"month"`
	Targets []workplan.Target `json:"targets"`
}

type DraftWorkPlanHandler struct{ d handlerDeps }

func NewDraftWorkPlanHandler(store EventStore, clock Clock, ids IDGenerator) DraftWorkPlanHandler {
	return DraftWorkPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h DraftWorkPlanHandler) Handle(ctx context.Context, m Meta, cmd DraftWorkPlan) (Result, error) {
	bad := missing("month", cmd.Month)
	if len(cmd.Targets) == 0 {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["targets"] = "required"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, workPlanLeadRoles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	id := WorkPlanID(project, cmd.Month)
	now := h.d.clock.Now()
	p, err := workplan.Draft(id, project, cmd.Month, cmd.Targets, now)
	if err != nil {
		return Result{}, domainError(err, workPlanCodes)
	}
	rev, err := h.d.appendChanges(ctx, workplan.Stream(id), event.NoStream(), m.Principal.Actor(), project, "", m.chain(), now, p.Changes())
	var conflict *apperr.Error
	if errors.As(err, &conflict) && conflict.Code == "conflict" {
		return Result{}, apperr.Errorf(apperr.Conflict, "plan_exists", "the project already has a work plan for %s (%s)", cmd.Month, id)
	}
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
