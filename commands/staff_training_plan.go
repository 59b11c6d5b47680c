package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
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

func updateTrainingPlan(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(p *training.Plan, now time.Time) error) (Result, error) {
	if bad := missing("plan_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, training.Stream(id), roles, training.Decode, training.FromHistory, trainingCodes, act)
}
