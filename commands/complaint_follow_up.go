package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// FollowUpComplaint keeps a call, visit or message with the owner (R-C6).
// Channel is one of phone, visit, service_desk, wechat, sms.
type FollowUpComplaint struct {
	ComplaintID string `json:"-"`
	Channel     string `json:"channel"`
	Note        string `json:"note"`
}

type FollowUpComplaintHandler struct{ d handlerDeps }

func NewFollowUpComplaintHandler(store EventStore, clock Clock, ids IDGenerator) FollowUpComplaintHandler {
	return FollowUpComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h FollowUpComplaintHandler) Handle(ctx context.Context, m Meta, cmd FollowUpComplaint) (Result, error) {
	bad := missing("channel", cmd.Channel, "note", cmd.Note)
	if bad == nil && !complaint.Channel(cmd.Channel).Valid() {
		bad = map[string]string{"channel": "must be one of phone, visit, service_desk, wechat, sms"}
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.RecordCommunication(complaint.Channel(cmd.Channel), cmd.Note, now)
	})
}
