package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// ResolveComplaint records how the complaint was handled.
type ResolveComplaint struct {
	ComplaintID string `json:"-"`
	Resolution  string `json:"resolution"`
}

type ResolveComplaintHandler struct{ d handlerDeps }

func NewResolveComplaintHandler(store EventStore, clock Clock, ids IDGenerator) ResolveComplaintHandler {
	return ResolveComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h ResolveComplaintHandler) Handle(ctx context.Context, m Meta, cmd ResolveComplaint) (Result, error) {
	if bad := missing("resolution", cmd.Resolution); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.Resolve(cmd.Resolution, now)
	})
}
