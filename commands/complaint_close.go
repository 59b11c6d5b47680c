package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
)

// CloseComplaint ends a complaint; refused without a return visit (R-C1),
// and, as resolving, below the level that handles it (R-C5, 403).
type CloseComplaint struct {
	ComplaintID string `json:"-"`
}

type CloseComplaintHandler struct{ d handlerDeps }

func NewCloseComplaintHandler(store EventStore, clock Clock, ids IDGenerator) CloseComplaintHandler {
	return CloseComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseComplaintHandler) Handle(ctx context.Context, m Meta, cmd CloseComplaint) (Result, error) {
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return complaintHandling(c.Close(complaintLevel(m.Principal.Role), now))
	})
}
