package commands

import (
	"context"
	"errors"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/training"
)

// DraftTrainingPlan drafts the project's training plan for a period (a
// year, 2026, or a month, 2026-03).
type DraftTrainingPlan struct {
	Period   string                    `json:"period"`
	Sessions []training.PlannedSession `json:"sessions"`
}

type DraftTrainingPlanHandler struct{ d handlerDeps }

func NewDraftTrainingPlanHandler(store EventStore, clock Clock, ids IDGenerator) DraftTrainingPlanHandler {
	return DraftTrainingPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h DraftTrainingPlanHandler) Handle(ctx context.Context, m Meta, cmd DraftTrainingPlan) (Result, error) {
	bad := missing("period", cmd.Period)
	if len(cmd.Sessions) == 0 {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["sessions"] = "required"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, trainingPlanDraftRoles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	id := TrainingPlanID(project, cmd.Period)
	now := h.d.clock.Now()
	p, err := training.Draft(id, project, cmd.Period, cmd.Sessions, now)
	if err != nil {
		return Result{}, domainError(err, trainingCodes)
	}
	rev, err := h.d.appendChanges(ctx, training.Stream(id), event.NoStream(), m.Principal.Actor(), project, "", m.chain(), now, p.Changes())
	var conflict *apperr.Error
	if errors.As(err, &conflict) && conflict.Code == "conflict" {
		return Result{}, apperr.Errorf(apperr.Conflict, "plan_exists", "the project already has a training plan for %s (%s)", cmd.Period, id)
	}
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
