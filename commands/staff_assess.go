package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

// AssessStaff records an assessment (R-S2, R-S3); Onboarding marks the
// assessment that clears a new member for duty.
type AssessStaff struct {
	StaffID    string `json:"-"`
	Kind       string `json:"kind"`
	Onboarding bool   `json:"onboarding"`
	Score      int    `json:"score"`
}

type AssessStaffHandler struct{ d handlerDeps }

func NewAssessStaffHandler(store EventStore, clock Clock, ids IDGenerator) AssessStaffHandler {
	return AssessStaffHandler{newHandlerDeps(store, clock, ids)}
}

func (h AssessStaffHandler) Handle(ctx context.Context, m Meta, cmd AssessStaff) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffTrainingRoles, func(s *staff.Staff, now time.Time) error {
		return s.Assess(cmd.Kind, cmd.Onboarding, cmd.Score, now)
	})
}
