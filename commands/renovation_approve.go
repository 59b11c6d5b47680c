package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/renovation"
)

// ApproveRenovation approves a filing that has every document (R-R1).
type ApproveRenovation struct {
	RenovationID string `json:"-"`
}

type ApproveRenovationHandler struct{ d handlerDeps }

func NewApproveRenovationHandler(store EventStore, clock Clock, ids IDGenerator) ApproveRenovationHandler {
	return ApproveRenovationHandler{newHandlerDeps(store, clock, ids)}
}

func (h ApproveRenovationHandler) Handle(ctx context.Context, m Meta, cmd ApproveRenovation) (Result, error) {
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationApproveRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.Approve(now)
	})
}
