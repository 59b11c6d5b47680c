package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// ExplainComplaintDelay records that the owner was told why the complaint
// is late and when it should be done (R-C2). ExpectedBy is RFC 3339, or a
// date (YYYY-MM-DD) meaning the end of that day in the clock's zone.
type ExplainComplaintDelay struct {
	ComplaintID string `json:"-"`
	Reason      string `json:"reason"`
	ExpectedBy  string `json:"expected_by"`
}

type ExplainComplaintDelayHandler struct{ d handlerDeps }

func NewExplainComplaintDelayHandler(store EventStore, clock Clock, ids IDGenerator) ExplainComplaintDelayHandler {
	return ExplainComplaintDelayHandler{newHandlerDeps(store, clock, ids)}
}

func (h ExplainComplaintDelayHandler) Handle(ctx context.Context, m Meta, cmd ExplainComplaintDelay) (Result, error) {
	bad := missing("reason", cmd.Reason, "expected_by", cmd.ExpectedBy)
	expectedBy, ok := parseInstant(cmd.ExpectedBy, h.d.clock.Now().Location())
	if !ok && cmd.ExpectedBy != "" {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["expected_by"] = "must be an RFC 3339 time or a date YYYY-MM-DD"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.ExplainDelay(cmd.Reason, expectedBy, now)
	})
}
