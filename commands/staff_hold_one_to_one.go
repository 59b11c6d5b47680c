package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

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
