package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

// The small staff commands share one shape: a staff id from the path and
// one domain method, so they live together here.

// AttendTraining records a training session attended (R-S3).
type AttendTraining struct {
	StaffID string `json:"-"`
	Session string `json:"session"`
	Topic   string `json:"topic"`
}

type AttendTrainingHandler struct{ d handlerDeps }

func NewAttendTrainingHandler(store EventStore, clock Clock, ids IDGenerator) AttendTrainingHandler {
	return AttendTrainingHandler{newHandlerDeps(store, clock, ids)}
}

func (h AttendTrainingHandler) Handle(ctx context.Context, m Meta, cmd AttendTraining) (Result, error) {
	if bad := missing("session", cmd.Session, "topic", cmd.Topic); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffTrainingRoles, func(s *staff.Staff, now time.Time) error {
		return s.AttendTraining(cmd.Session, cmd.Topic, now)
	})
}

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

// CheckBehaviour records a pre-shift or mystery-customer check (R-S1).
type CheckBehaviour struct {
	StaffID string `json:"-"`
	Method  string `json:"method"`
	Passed  bool   `json:"passed"`
	Notes   string `json:"notes"`
}

type CheckBehaviourHandler struct{ d handlerDeps }

func NewCheckBehaviourHandler(store EventStore, clock Clock, ids IDGenerator) CheckBehaviourHandler {
	return CheckBehaviourHandler{newHandlerDeps(store, clock, ids)}
}

func (h CheckBehaviourHandler) Handle(ctx context.Context, m Meta, cmd CheckBehaviour) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffBehaviourRoles, func(s *staff.Staff, now time.Time) error {
		return s.CheckBehaviour(cmd.Method, cmd.Passed, cmd.Notes, now)
	})
}

// HoldOneToOne records the supervisor's monthly one-to-one (R-S4); the
// supervisor is the caller.
type HoldOneToOne struct {
	StaffID string `json:"-"`
	Minutes int    `json:"minutes"`
	Notes   string `json:"notes"`
}

type HoldOneToOneHandler struct{ d handlerDeps }

func NewHoldOneToOneHandler(store EventStore, clock Clock, ids IDGenerator) HoldOneToOneHandler {
	return HoldOneToOneHandler{newHandlerDeps(store, clock, ids)}
}

func (h HoldOneToOneHandler) Handle(ctx context.Context, m Meta, cmd HoldOneToOne) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffOneToOneRoles, func(s *staff.Staff, now time.Time) error {
		return s.HoldOneToOne(m.Principal.StaffID, cmd.Minutes, cmd.Notes, now)
	})
}

// PublishSanction records a published reward or penalty (R-S5).
type PublishSanction struct {
	StaffID string `json:"-"`
	Kind    string `json:"kind"`
	Reason  string `json:"reason"`
	Amount  int    `json:"amount"`
}

type PublishSanctionHandler struct{ d handlerDeps }

func NewPublishSanctionHandler(store EventStore, clock Clock, ids IDGenerator) PublishSanctionHandler {
	return PublishSanctionHandler{newHandlerDeps(store, clock, ids)}
}

func (h PublishSanctionHandler) Handle(ctx context.Context, m Meta, cmd PublishSanction) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffSanctionRoles, func(s *staff.Staff, now time.Time) error {
		return s.PublishSanction(cmd.Kind, cmd.Reason, cmd.Amount, now)
	})
}
