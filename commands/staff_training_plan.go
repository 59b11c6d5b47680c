package commands

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/training"
)

// trainingPlanNamespace makes a plan's id from its project and period, so
// that a project has one plan per period.
var trainingPlanNamespace = uuid.MustParse("0b8e3f4a-2c6d-4e71-9f3a-6a1d5c2b7e90")

// TrainingPlanID is the id of a project's plan for a period.
func TrainingPlanID(project, period string) string {
	return uuid.NewSHA1(trainingPlanNamespace, []byte(project+"\x00"+period)).String()
}

// Who drafts, approves and records sessions of training plans.
var (
	trainingPlanDraftRoles   = staffTrainingRoles
	trainingPlanApproveRoles = []string{RoleSupervisor, RoleQuality}
)

// trainingCodes are the stable error codes of refused training-plan rules.
var trainingCodes = map[error]string{
	training.ErrNotDrafted:        "training_plan_not_drafted",
	training.ErrPlanIncomplete:    "plan_incomplete",
	training.ErrSessionIncomplete: "session_incomplete",
	training.ErrOutsidePeriod:     "session_outside_period",
	training.ErrDuplicateSession:  "duplicate_session",
	training.ErrApproverRole:      "approver_role",
	training.ErrAlreadyApproved:   "already_approved",
	training.ErrNotApproved:       "plan_not_approved",
	training.ErrUnknownSession:    "unknown_session",
	training.ErrSessionHeld:       "session_already_held",
	training.ErrHeldIncomplete:    "held_session_incomplete",
	training.ErrHeldInFuture:      "held_in_future",
}

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
	rev, err := h.d.appendChanges(ctx, training.Stream(id), event.NoStream(), m.Principal.Actor(), project, "", m.CorrelationID, now, p.Changes())
	var conflict *apperr.Error
	if errors.As(err, &conflict) && conflict.Code == "conflict" {
		return Result{}, apperr.Errorf(apperr.Conflict, "plan_exists", "the project already has a training plan for %s (%s)", cmd.Period, id)
	}
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// ApproveTrainingPlan is the approval by a supervisor or quality.
type ApproveTrainingPlan struct {
	PlanID string `json:"-"`
}

type ApproveTrainingPlanHandler struct{ d handlerDeps }

func NewApproveTrainingPlanHandler(store EventStore, clock Clock, ids IDGenerator) ApproveTrainingPlanHandler {
	return ApproveTrainingPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h ApproveTrainingPlanHandler) Handle(ctx context.Context, m Meta, cmd ApproveTrainingPlan) (Result, error) {
	return updateTrainingPlan(ctx, h.d, m, cmd.PlanID, trainingPlanApproveRoles, func(p *training.Plan, now time.Time) error {
		return p.Approve(m.Principal.StaffID, m.Principal.Role, now)
	})
}

// RecordTrainingSession records a planned session as held. Trainer
// defaults to the caller; attendance and assessments of each attendee are
// recorded on their staff record with the plan's session id.
type RecordTrainingSession struct {
	PlanID    string   `json:"-"`
	SessionID string   `json:"session_id"`
	HeldOn    string   `json:"held_on"`
	Trainer   string   `json:"trainer,omitempty"`
	Attendees []string `json:"attendees"`
	Note      string   `json:"note,omitempty"`
}

type RecordTrainingSessionHandler struct{ d handlerDeps }

func NewRecordTrainingSessionHandler(store EventStore, clock Clock, ids IDGenerator) RecordTrainingSessionHandler {
	return RecordTrainingSessionHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordTrainingSessionHandler) Handle(ctx context.Context, m Meta, cmd RecordTrainingSession) (Result, error) {
	if bad := missing("session_id", cmd.SessionID, "held_on", cmd.HeldOn); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	trainer := cmd.Trainer
	if trainer == "" {
		trainer = m.Principal.StaffID
	}
	return updateTrainingPlan(ctx, h.d, m, cmd.PlanID, trainingPlanDraftRoles, func(p *training.Plan, now time.Time) error {
		return p.RecordSession(cmd.SessionID, cmd.HeldOn, trainer, cmd.Attendees, cmd.Note, now)
	})
}

func updateTrainingPlan(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(p *training.Plan, now time.Time) error) (Result, error) {
	if bad := missing("plan_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, training.Stream(id), roles, training.Decode, training.FromHistory, trainingCodes, act)
}
