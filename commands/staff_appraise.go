package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

// AppraiseStaff records a member's monthly appraisal (绩效考核, R-S1,
// R-F5), due by the 30th; the appraiser is the caller. The month's
// behaviour checks, talks and (for a butler) collection against plan are
// on GET /staff/{id}/appraisals/{month}, the record the appraisal is made
// from.
type AppraiseStaff struct {
	StaffID string `json:"-"`
	Month   string `json:"month"`
	Score   int    `json:"score"`
	Notes   string `json:"notes,omitempty"`
	// Basis is filled by the server from the read models (the month's
	// checks and collection against plan), never by the client.
	Basis *staff.AppraisalBasis `json:"-"`
}

type AppraiseStaffHandler struct{ d handlerDeps }

func NewAppraiseStaffHandler(store EventStore, clock Clock, ids IDGenerator) AppraiseStaffHandler {
	return AppraiseStaffHandler{newHandlerDeps(store, clock, ids)}
}

func (h AppraiseStaffHandler) Handle(ctx context.Context, m Meta, cmd AppraiseStaff) (Result, error) {
	return updateStaff(ctx, h.d, m, cmd.StaffID, staffAppraisalRoles, func(s *staff.Staff, now time.Time) error {
		return s.Appraise(m.Principal.StaffID, cmd.Month, cmd.Score, cmd.Notes, cmd.Basis, now)
	})
}
