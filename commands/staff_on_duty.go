package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/duty"
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

// Recording returns the check that also keeps each refused attempt
// (domain/staff/duty, at most duty.MaxPerDay a member a day), stamped by
// clock: R-S2's "untrained staff on duty" counts the attempts of staff
// without a passed onboarding assessment, not only the work dispatched
// to them.
func (o OnDuty) Recording(clock Clock, ids IDGenerator) OnDuty {
	store := o.d.store
	o.d = newHandlerDeps(store, clock, ids)
	return o
}

// attemptKey carries what a caller tried to do (method and route) to Check.
type attemptKey struct{}

// WithAttempt names, for Check's record of a refusal, what the caller
// tried ("POST /api/v1/work-orders"): the route, never the body.
func WithAttempt(ctx context.Context, what string) context.Context {
	return context.WithValue(ctx, attemptKey{}, what)
}

// Check returns nil when p may write, and a 403 staff_not_on_duty saying
// why when not.
func (o OnDuty) Check(ctx context.Context, p Principal) error {
	reason, why, err := o.notOnDuty(ctx, p)
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
	refused := apperr.Errorf(apperr.Forbidden, "staff_not_on_duty",
		"staff %s %s: only registered staff who passed their onboarding assessment may record anything in project %s (R-S2)", p.StaffID, why, p.Project)
	if err := o.recordRefusal(ctx, p, reason); err != nil {
		// The refusal stands whether or not it could be kept.
		return errors.Join(refused, fmt.Errorf("keeping the refused attempt: %w", err))
	}
	return refused
}

// DutyDayID is the id of a staff member's day of refused attempts.
func DutyDayID(project, staffID, day string) string {
	return uuid.NewSHA1(dutyDayNamespace, []byte(project+"\x00"+staffID+"\x00"+day)).String()
}

var dutyDayNamespace = uuid.MustParse("9a3f6c1e-47b2-4d8a-b5e0-2c71d9f84a13")

// confidentialRoute is the route whose refused attempts are not kept: an
// integrity report keeps nothing of its reporter (R-S6), and a kept
// refusal would name who tried to file one, and when.
const confidentialRoute = "/integrity-reports"

// recordRefusal keeps the refused attempt in the member's day; without a
// clock (NewOnDuty alone) nothing is kept.
func (o OnDuty) recordRefusal(ctx context.Context, p Principal, reason string) error {
	what, _ := ctx.Value(attemptKey{}).(string)
	if o.d.clock == nil || strings.HasSuffix(what, confidentialRoute) {
		return nil
	}
	now := o.d.clock.Now()
	day := now.In(staff.Zone).Format(time.DateOnly)
	id := DutyDayID(p.Project, p.StaffID, day)
	h, err := o.d.readHistory(ctx, duty.Stream(id), duty.Decode)
	if err != nil {
		return err
	}
	d, err := duty.FromHistory(h.payloads)
	if err != nil {
		return err
	}
	kept, err := d.Refuse(duty.Refused{Project: p.Project, District: p.District, StaffID: p.StaffID, Role: p.Role, Day: day,
		Reason: reason, Attempt: what, At: now})
	if err != nil || !kept {
		return err
	}
	expected := event.NoStream()
	if h.exists {
		expected = event.Exact(h.revision)
	}
	_, err = o.d.appendChanges(ctx, duty.Stream(id), expected, p.Actor(), p.Project, p.District, chain{}, now, d.Changes())
	if apperr.KindOf(err) == apperr.Conflict {
		return nil // a simultaneous refusal of the same member: the day is on record
	}
	return err
}

// notOnDuty says what keeps p off duty (a duty.Reason… code and words),
// or "" when nothing does.
func (o OnDuty) notOnDuty(ctx context.Context, p Principal) (reason, why string, err error) {
	h, err := o.d.readHistory(ctx, staff.Stream(p.StaffID), staff.Decode)
	if err != nil {
		return "", "", err
	}
	if !h.exists {
		return duty.ReasonNotRegistered, "is not in the staff register", nil
	}
	s, err := staff.FromHistory(h.payloads)
	if err != nil {
		return "", "", fmt.Errorf("rebuild %s: %w", staff.Stream(p.StaffID), err)
	}
	switch {
	case s.Project() != p.Project:
		return duty.ReasonOtherProject, "is registered in another project", nil
	case s.Role() != p.Role:
		return duty.ReasonWrongRole, fmt.Sprintf("is registered as %s, not %s", s.Role(), p.Role), nil
	case !p.ProjectWide() && s.District() != p.District:
		return duty.ReasonWrongDistrict, fmt.Sprintf("is registered in district %s, not %s", s.District(), p.District), nil
	case !s.Onboarded():
		return duty.ReasonNotOnboarded, "has not passed the onboarding assessment", nil
	}
	return "", "", nil
}
