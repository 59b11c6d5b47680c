package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// DispatchComplaint creates the order (下单): someone is to handle it.
type DispatchComplaint struct {
	ComplaintID string `json:"-"`
	Assignee    string `json:"assignee"`
}

type DispatchComplaintHandler struct {
	d handlerDeps
	// staff, when set, refuses an assignee who has not passed the
	// onboarding assessment (R-S2).
	staff StaffDirectory
}

func NewDispatchComplaintHandler(store EventStore, clock Clock, ids IDGenerator) DispatchComplaintHandler {
	return DispatchComplaintHandler{d: newHandlerDeps(store, clock, ids)}
}

func (h DispatchComplaintHandler) Handle(ctx context.Context, m Meta, cmd DispatchComplaint) (Result, error) {
	if bad := missing("assignee", cmd.Assignee); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := checkAssignee(ctx, h.staff, m, complaintHandleRoles, cmd.Assignee); err != nil {
		return Result{}, err
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.Dispatch(cmd.Assignee, now)
	})
}

// WithStaff returns the handler consulting dir before each dispatch (R-S2).
func (h DispatchComplaintHandler) WithStaff(dir StaffDirectory) DispatchComplaintHandler {
	h.staff = dir
	return h
}
