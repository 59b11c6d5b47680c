package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

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
