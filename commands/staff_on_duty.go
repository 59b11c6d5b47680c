package commands

import (
	"context"
	"fmt"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

// OnDuty decides who may write (R-S2: new staff are trained and pass an
// assessment before going on duty): the caller's staff id must be in the
// staff register of the token's project, with the token's role, and
// onboarded.
//
// The rule is in force in a project from its first onboarded member.
// Before that the project is being set up and tokens act as issued, so
// that its first project manager can register the staff (themselves
// included) and a supervisor can record their training and assessment;
// the first passed onboarding assessment closes that door for good. A
// project that never registers anyone keeps the behaviour Butler had
// before the register existed.
type OnDuty struct {
	d handlerDeps
	// inForce reports whether a project has an onboarded member (the
	// staff register's read model answers it; once true it stays true).
	inForce func(ctx context.Context, project string) (bool, error)
}

// NewOnDuty builds the check on the event store (the caller's own staff
// record, read without read-model lag) and inForce.
func NewOnDuty(store EventStore, inForce func(ctx context.Context, project string) (bool, error)) OnDuty {
	return OnDuty{d: newHandlerDeps(store, nil, nil), inForce: inForce}
}

// Check returns nil when p may write, and a 403 staff_not_on_duty saying
// why when not.
func (o OnDuty) Check(ctx context.Context, p Principal) error {
	why, err := o.notOnDuty(ctx, p)
	if err != nil || why == "" {
		return err
	}
	inForce, err := o.inForce(ctx, p.Project)
	if err != nil {
		return fmt.Errorf("staff register of %s: %w", p.Project, err)
	}
	if !inForce {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "staff_not_on_duty",
		"staff %s %s: only registered staff who passed their onboarding assessment may record anything in project %s (R-S2)", p.StaffID, why, p.Project)
}

// notOnDuty says what keeps p off duty, or "" when nothing does.
func (o OnDuty) notOnDuty(ctx context.Context, p Principal) (string, error) {
	h, err := o.d.readHistory(ctx, staff.Stream(p.StaffID), staff.Decode)
	if err != nil {
		return "", err
	}
	if !h.exists {
		return "is not in the staff register", nil
	}
	s, err := staff.FromHistory(h.payloads)
	if err != nil {
		return "", fmt.Errorf("rebuild %s: %w", staff.Stream(p.StaffID), err)
	}
	switch {
	case s.Project() != p.Project:
		return "is registered in another project", nil
	case s.Role() != p.Role:
		return fmt.Sprintf("is registered as %s, not %s", s.Role(), p.Role), nil
	case !p.ProjectWide() && s.District() != p.District:
		return fmt.Sprintf("is registered in district %s, not %s", s.District(), p.District), nil
	case !s.Onboarded():
		return "has not passed the onboarding assessment", nil
	}
	return "", nil
}
