package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
)

// DispatchComplaint creates the order (下单): someone is to handle it.
type DispatchComplaint struct {
	ComplaintID string `json:"-"`
	Assignee    string `json:"assignee"`
}

type DispatchComplaintHandler struct{ d handlerDeps }

func NewDispatchComplaintHandler(store EventStore, clock Clock, ids IDGenerator) DispatchComplaintHandler {
	return DispatchComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h DispatchComplaintHandler) Handle(ctx context.Context, m Meta, cmd DispatchComplaint) (Result, error) {
	if bad := missing("assignee", cmd.Assignee); bad != nil {
		return Result{}, Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.Dispatch(cmd.Assignee, now)
	})
}
