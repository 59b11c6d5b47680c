package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// FlagComplaintRisk flags a group-complaint risk (群诉风险); the recorded
// complaint.risk_flagged.v1 event is the warning to the project manager
// (R-C4).
type FlagComplaintRisk struct {
	ComplaintID string `json:"-"`
	Reason      string `json:"reason"`
}

type FlagComplaintRiskHandler struct{ d handlerDeps }

func NewFlagComplaintRiskHandler(store EventStore, clock Clock, ids IDGenerator) FlagComplaintRiskHandler {
	return FlagComplaintRiskHandler{newHandlerDeps(store, clock, ids)}
}

func (h FlagComplaintRiskHandler) Handle(ctx context.Context, m Meta, cmd FlagComplaintRisk) (Result, error) {
	if bad := missing("reason", cmd.Reason); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return c.FlagRisk(cmd.Reason, now)
	})
}
