package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

// DeclareRelative records that a staff member has a relative among the
// owners of a unit (R-S9: 亲属回避). The member declares it themselves, or
// a supervisor, project manager or operations on their behalf. Work about
// that unit dispatched to the member afterwards is flagged (KPI
// relative-recusal-conflicts), not refused: the supervisor sees it and
// reassigns.
type DeclareRelative struct {
	StaffID  string `json:"-"`
	Unit     string `json:"unit"`
	Relation string `json:"relation"`
}

type DeclareRelativeHandler struct{ d handlerDeps }

func NewDeclareRelativeHandler(store EventStore, clock Clock, ids IDGenerator) DeclareRelativeHandler {
	return DeclareRelativeHandler{newHandlerDeps(store, clock, ids)}
}

func (h DeclareRelativeHandler) Handle(ctx context.Context, m Meta, cmd DeclareRelative) (Result, error) {
	roles := staffRelativeRoles
	if m.Principal.StaffID != "" && m.Principal.StaffID == cmd.StaffID {
		roles = []string{m.Principal.Role} // one's own declaration
	}
	return updateStaff(ctx, h.d, m, cmd.StaffID, roles, func(s *staff.Staff, now time.Time) error {
		return s.DeclareRelative(cmd.Unit, cmd.Relation, now)
	})
}
