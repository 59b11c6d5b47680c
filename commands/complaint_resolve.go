package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// ResolveComplaint records how the complaint was handled and whether it
// was a valid complaint (有效投诉), with the reason (R-C7). Valid is
// required: a pointer tells a missing judgement from "not valid".
// Important complaints are resolved by the supervisor, escalated ones at
// the level they reached (R-C5, 403).
type ResolveComplaint struct {
	ComplaintID    string `json:"-"`
	Resolution     string `json:"resolution"`
	Valid          *bool  `json:"valid"`
	ValidityReason string `json:"validity_reason"`
}

type ResolveComplaintHandler struct{ d handlerDeps }

func NewResolveComplaintHandler(store EventStore, clock Clock, ids IDGenerator) ResolveComplaintHandler {
	return ResolveComplaintHandler{newHandlerDeps(store, clock, ids)}
}

func (h ResolveComplaintHandler) Handle(ctx context.Context, m Meta, cmd ResolveComplaint) (Result, error) {
	bad := missing("resolution", cmd.Resolution, "validity_reason", cmd.ValidityReason)
	if cmd.Valid == nil {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["valid"] = "required: true for a valid complaint (有效投诉), false otherwise (R-C7)"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateComplaint(ctx, h.d, m, cmd.ComplaintID, complaintHandleRoles, func(c *complaint.Complaint, now time.Time) error {
		return complaintHandling(c.Resolve(cmd.Resolution, *cmd.Valid, cmd.ValidityReason, complaintLevel(m.Principal.Role), now))
	})
}
