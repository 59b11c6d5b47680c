package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

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
