package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/staff"
)

// StaffStream is the stream of one staff member, keyed by the staff id

// staffCodes are the stable error codes of refused staff rules.
var staffCodes = map[error]string{
	staff.ErrNotRegistered:          "staff_not_registered",
	staff.ErrRegistrationIncomplete: "registration_incomplete",
	staff.ErrDistrictMissing:        "district_missing",
	staff.ErrSessionMissing:         "session_missing",
	staff.ErrUnknownAssessment:      "unknown_assessment",
	staff.ErrScoreRange:             "score_out_of_range",
	staff.ErrNotTrained:             "not_trained",
	staff.ErrUnknownCheckMethod:     "unknown_check_method",
	staff.ErrOneToOneLength:         "one_to_one_length",
	staff.ErrNotesMissing:           "notes_missing",
	staff.ErrOneToOneThisMonth:      "one_to_one_already_held",
	staff.ErrUnknownSanction:        "unknown_sanction",
	staff.ErrNotOnboarded:           "staff_not_onboarded",
}

func updateStaff(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(s *staff.Staff, now time.Time) error) (Result, error) {
	if bad := missing("staff_id", id); bad != nil {
		return Result{}, Invalid(bad)
	}
	return update(ctx, d, m, id, staff.Stream(id), roles, staff.Decode, staff.FromHistory, staffCodes, act)
}

// StaffDirectory answers whether a staff member may be given work (R-S2).
// The dispatch handlers consult it when they have one.
type StaffDirectory interface {
	// CheckAssignable returns nil when staffID may be assigned work, and
	// an application error (code staff_not_onboarded) when not.
	CheckAssignable(ctx context.Context, staffID string) error
}

// EventStaffDirectory reads the staff register from the event store, so
// a dispatch sees an assessment passed a moment ago (no read-model lag).
//
// An id unknown to the register is assignable: work is also dispatched
// to outside contractors and to staff recorded before the register
// existed, who have no staff stream. Registering a member puts them under
// the rule from then on.
type EventStaffDirectory struct{ d handlerDeps }

// NewEventStaffDirectory builds the directory on the event store.
func NewEventStaffDirectory(store EventStore) EventStaffDirectory {
	return EventStaffDirectory{newHandlerDeps(store, nil, nil)}
}

func (dir EventStaffDirectory) CheckAssignable(ctx context.Context, staffID string) error {
	h, err := dir.d.readHistory(ctx, staff.Stream(staffID), staff.Decode)
	if err != nil {
		return err
	}
	if !h.exists {
		return nil
	}
	s, err := staff.FromHistory(h.payloads)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", staff.Stream(staffID), err)
	}
	if err := s.Assignable(); err != nil {
		return &Error{Kind: KindInvalid, Code: staffCodes[staff.ErrNotOnboarded],
			Message: fmt.Sprintf("%s: %s", staffID, err.Error()), Err: err}
	}
	return nil
}

// checkAssignee runs the directory check when there is a directory.
func checkAssignee(ctx context.Context, dir StaffDirectory, m Meta, roles []string, assignee string) error {
	if dir == nil {
		return nil
	}
	// Role first, so that a caller who may not dispatch learns that, not
	// something about the assignee.
	if err := requireRole(m.Principal, roles...); err != nil {
		return err
	}
	err := dir.CheckAssignable(ctx, assignee)
	var appErr *Error
	if err != nil && !errors.As(err, &appErr) {
		return fmt.Errorf("staff directory: %w", err)
	}
	return err
}
