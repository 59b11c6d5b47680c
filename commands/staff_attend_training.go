package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

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
