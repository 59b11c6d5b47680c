package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
)

// RegisterStaff adds a staff member to the register. StaffID is the id
// their token carries; Role is one of the roles; District is required for
// butlers and cleaners. The project is the caller's.
type RegisterStaff struct {
	StaffID  string `json:"staff_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	District string `json:"district,omitempty"`
}

type RegisterStaffHandler struct{ d handlerDeps }

func NewRegisterStaffHandler(store EventStore, clock Clock, ids IDGenerator) RegisterStaffHandler {
	return RegisterStaffHandler{newHandlerDeps(store, clock, ids)}
}

func (h RegisterStaffHandler) Handle(ctx context.Context, m Meta, cmd RegisterStaff) (Result, error) {
	bad := missing("staff_id", cmd.StaffID, "name", cmd.Name)
	if !ValidRole(cmd.Role) {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["role"] = "one of the roles"
	}
	districtBound := cmd.Role == RoleButler || cmd.Role == RoleCleaner
	if districtBound && cmd.District == "" {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["district"] = "required for a butler or cleaner"
	}
	if len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, staffRegisterRoles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	if project == "" {
		return Result{}, forbiddenScope()
	}
	now := h.d.clock.Now()
	s, err := staff.Register(staff.Registration{StaffID: cmd.StaffID, Name: cmd.Name, Role: cmd.Role,
		Project: project, District: cmd.District, DistrictBound: districtBound}, now)
	if err != nil {
		return Result{}, domainError(err, staffCodes)
	}
	// A second registration of the same id is a stream conflict (409).
	rev, err := h.d.appendChanges(ctx, staff.Stream(cmd.StaffID), event.NoStream(), m.Principal.Actor(), project, cmd.District, m.chain(), now, s.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: cmd.StaffID, Revision: rev}, nil
}
