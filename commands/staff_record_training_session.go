package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/training"
)

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
