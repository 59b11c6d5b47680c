package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// EscalateComplaint moves a complaint one level up: to the supervisor, then
// to the project manager (R-C5). The level reached is in the event.
type EscalateComplaint struct {
	ComplaintID string `json:"-"`
	Reason      string `json:"reason"`
}

type EscalateComplaintHandler struct{ d handlerDeps }

func NewEscalateComplaintHandler(store EventStore, clock Clock, ids IDGenerator) EscalateComplaintHandler {
	return EscalateComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h EscalateComplaintHandler) Handle(ctx context.Context, m Meta, cmd EscalateComplaint) (Result, error) {
	if bad := missing("reason", cmd.Reason); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintEscalateRoles, func(c *complaint.Complaint, now time.Time) error {
		// Only the supervisor decides that they cannot handle it (R-C5).
		if next, ok := c.NextLevel(); ok && next == complaint.LevelProjectManager {
			if err := requireRole(m.Principal, complaintToPMRoles...); err != nil {
				return err
			}
		}
		return c.Escalate(cmd.Reason, now)
	})
}
