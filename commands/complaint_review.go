package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// ReviewComplaint is a supervisor's daily look at a complaint (R-C8): a
// note of its progress and, with a channel, the supervisor's own contact
// with the owner (phone, visit, service_desk, wechat, sms). Supervisor or
// project manager.
type ReviewComplaint struct {
	ComplaintID string `json:"-"`
	Note        string `json:"note"`
	Channel     string `json:"channel,omitempty"`
}

type ReviewComplaintHandler struct{ d handlerDeps }

func NewReviewComplaintHandler(store EventStore, clock Clock, ids IDGenerator) ReviewComplaintHandler {
	return ReviewComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReviewComplaintHandler) Handle(ctx context.Context, m Meta, cmd ReviewComplaint) (Result, error) {
	bad := missing("note", cmd.Note)
	if cmd.Channel != "" && !complaint.Channel(cmd.Channel).Valid() {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["channel"] = "must be one of phone, visit, service_desk, wechat, sms, or left out"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintSupervisorRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.Review(cmd.Note, complaint.Channel(cmd.Channel), now)
	})
}
