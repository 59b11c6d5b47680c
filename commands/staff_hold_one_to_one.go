package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

// HoldOneToOne records the supervisor's weekly talk with a subordinate
// (R-S4, R-S7: 10–15 minutes, one a week); the supervisor is the caller.
// Method is face_to_face (default), weekly_meeting, shift_meeting, online
// or other.
type HoldOneToOne struct {
	StaffID string `json:"-"`
	Minutes int    `json:"minutes"`
	Method  string `json:"method,omitempty"`
	Notes   string `json:"notes"`
}

type HoldOneToOneHandler struct{ d handlerDeps }

func NewHoldOneToOneHandler(store EventStore, clock Clock, ids IDGenerator) HoldOneToOneHandler {
	return HoldOneToOneHandler{newHandlerDeps(store, clock, ids)}
}

func (h HoldOneToOneHandler) Handle(ctx context.Context, m Meta, cmd HoldOneToOne) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffOneToOneRoles, func(s *staff.Staff, now time.Time) error {
		return s.HoldOneToOne(m.Principal.StaffID, cmd.Minutes, cmd.Method, cmd.Notes, now)
	})
}
