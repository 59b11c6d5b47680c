package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// MarkComplaintImportant marks a complaint important (重要投诉): the
// supervisor handles it personally from now on (R-C5). Supervisor or
// project manager.
type MarkComplaintImportant struct {
	ComplaintID string `json:"-"`
	Reason      string `json:"reason"`
}

type MarkComplaintImportantHandler struct{ d handlerDeps }

func NewMarkComplaintImportantHandler(store EventStore, clock Clock, ids IDGenerator) MarkComplaintImportantHandler {
	return MarkComplaintImportantHandler{newHandlerDeps(store, clock, ids)}
}

func (h MarkComplaintImportantHandler) Handle(ctx context.Context, m Meta, cmd MarkComplaintImportant) (Result, error) {
	if bad := missing("reason", cmd.Reason); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintSupervisorRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.MarkImportant(cmd.Reason, now)
	})
}
