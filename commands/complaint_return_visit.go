package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// ReturnVisitComplaint records the owner's satisfaction (1–5) after
// handling (R-C3). Channel is phone or visit.
type ReturnVisitComplaint struct {
	ComplaintID  string `json:"-"`
	Channel      string `json:"channel"`
	Satisfaction int    `json:"satisfaction"`
	Comment      string `json:"comment"`
}

type ReturnVisitComplaintHandler struct{ d handlerDeps }

func NewReturnVisitComplaintHandler(store EventStore, clock Clock, ids IDGenerator) ReturnVisitComplaintHandler {
	return ReturnVisitComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReturnVisitComplaintHandler) Handle(ctx context.Context, m Meta, cmd ReturnVisitComplaint) (Result, error) {
	if bad := returnVisitFields(cmd.Channel, cmd.Satisfaction); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.RecordReturnVisit(complaint.Channel(cmd.Channel), cmd.Satisfaction, cmd.Comment, now)
	})
}

// returnVisitFields checks the fields complaint and work-order return
// visits share: a visit or call, rated 1 to 5.
func returnVisitFields(channel string, satisfaction int) map[string]string {
	bad := map[string]string{}
	if channel != "phone" && channel != "visit" {
		bad["channel"] = "must be phone or visit"
	}
	if satisfaction < 1 || satisfaction > 5 {
		bad["satisfaction"] = "must be 1 to 5"
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}
