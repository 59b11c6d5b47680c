package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff"
)

// Who may run which staff, command-centre, visit and vacant-unit command
// (DOMAIN.md roles; scope is checked separately with Principal.CanAct).
//
//	command                              butler supervisor project_manager operator operations quality
//	staff register                                  x             x                      x
//	staff training / assessment                     x                                    x          x
//	staff behaviour check (R-S1)                    x                                               x
//	staff weekly talk, profile (R-S7)               x
//	staff appraisal (R-S1, R-F5)                    x             x
//	relatives declared (R-S9)                       x             x                      x        (and the member)
//	work plan draft, discuss, goals (R-S8)          x             x
//	work plan progress (R-S8)            (own goal) x             x
//	found property register (R-S9)       any staff member but the read-only roles
//	found property hand in, return                  x             x               x                (and custodian)
//	found property dispose (R-S9)                                 x
//	staff reward / penalty (R-S5)                   x             x                      x
//	shift open/log/handle/hand over/close                                         x
//	emergency report / step / close                 x             x               x
//	drill, hand-over check (R-N2, R-N3)             x             x               x
var (
	staffRegisterRoles  = []string{RoleSupervisor, RoleProjectManager, RoleOperations}
	staffTrainingRoles  = []string{RoleSupervisor, RoleOperations, RoleQuality}
	staffBehaviourRoles = []string{RoleSupervisor, RoleQuality}
	staffOneToOneRoles  = []string{RoleSupervisor}
	staffSanctionRoles  = []string{RoleSupervisor, RoleProjectManager, RoleOperations}
	staffAppraisalRoles = []string{RoleSupervisor, RoleProjectManager}
	staffRelativeRoles  = []string{RoleSupervisor, RoleProjectManager, RoleOperations}

	shiftRoles      = []string{RoleOperator}
	emergencyRoles  = []string{RoleOperator, RoleSupervisor, RoleProjectManager}
	ccRegisterRoles = []string{RoleOperator, RoleSupervisor, RoleProjectManager}
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
	staff.ErrOneToOneThisWeek:       "one_to_one_already_held",
	staff.ErrUnknownTalkMethod:      "unknown_talk_method",
	staff.ErrUnknownSanction:        "unknown_sanction",
	staff.ErrNotOnboarded:           "staff_not_onboarded",
	staff.ErrProfileIncomplete:      "profile_incomplete",
	staff.ErrRelativeIncomplete:     "relative_incomplete",
	staff.ErrRelativeDeclared:       "relative_already_declared",
	staff.ErrMonthInvalid:           "month_invalid",
	staff.ErrAppraisalFuture:        "appraisal_month_not_begun",
	staff.ErrAppraisedAlready:       "appraisal_already_recorded",
}

func updateStaff(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(s *staff.Staff, now time.Time) error) (Result, error) {
	if bad := missing("staff_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
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
		return &apperr.Error{Kind: apperr.Unprocessable, Code: staffCodes[staff.ErrNotOnboarded],
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
	var appErr *apperr.Error
	if err != nil && !errors.As(err, &appErr) {
		return fmt.Errorf("staff directory: %w", err)
	}
	return err
}

// StaffHandlers are the staff module's command handlers.
type StaffHandlers struct {
	Register               RegisterStaffHandler
	AttendTraining         AttendTrainingHandler
	Assess                 AssessStaffHandler
	CheckBehaviour         CheckBehaviourHandler
	HoldOneToOne           HoldOneToOneHandler
	PublishSanction        PublishSanctionHandler
	RecordSupervisorPatrol RecordSupervisorPatrolHandler
	RecordSpotCheck        RecordSpotCheckHandler
	CorrectSpotCheck       CorrectSpotCheckHandler
	FileIntegrityReport    FileIntegrityReportHandler
	HandleIntegrityReport  HandleIntegrityReportHandler
	DraftTrainingPlan      DraftTrainingPlanHandler
	ApproveTrainingPlan    ApproveTrainingPlanHandler
	RecordTrainingSession  RecordTrainingSessionHandler
	// R-S7, R-S1, R-F5, R-S9 on the staff record.
	RecordProfile          RecordStaffProfileHandler
	Appraise               AppraiseStaffHandler
	DeclareRelative        DeclareRelativeHandler
	RecordTalkMissed       RecordTalkMissedHandler
	RecordPatrolWeekMissed RecordPatrolWeekMissedHandler
	RecordAppraisalOverdue RecordAppraisalOverdueHandler
	// R-S8 work plans.
	DraftWorkPlan         DraftWorkPlanHandler
	DiscussWorkPlan       DiscussWorkPlanHandler
	ShareWorkPlanProgress ShareWorkPlanProgressHandler
	SetWorkPlanGoal       SetWorkPlanGoalHandler
	// R-S9 found property.
	RegisterFoundProperty RegisterFoundPropertyHandler
	HandInFoundProperty   HandInFoundPropertyHandler
	ReturnFoundProperty   ReturnFoundPropertyHandler
	DisposeFoundProperty  DisposeFoundPropertyHandler
	RecordHandInOverdue   RecordHandInOverdueHandler
}

func newStaffHandlers(d handlerDeps) StaffHandlers {
	return StaffHandlers{
		Register:               RegisterStaffHandler{d},
		AttendTraining:         AttendTrainingHandler{d},
		Assess:                 AssessStaffHandler{d},
		CheckBehaviour:         CheckBehaviourHandler{d},
		HoldOneToOne:           HoldOneToOneHandler{d},
		PublishSanction:        PublishSanctionHandler{d},
		RecordSupervisorPatrol: NewRecordSupervisorPatrolHandler(d.store, d.clock, d.ids),
		RecordSpotCheck:        RecordSpotCheckHandler{d},
		CorrectSpotCheck:       CorrectSpotCheckHandler{d},
		FileIntegrityReport:    FileIntegrityReportHandler{d},
		HandleIntegrityReport:  HandleIntegrityReportHandler{d},
		DraftTrainingPlan:      DraftTrainingPlanHandler{d},
		ApproveTrainingPlan:    ApproveTrainingPlanHandler{d},
		RecordTrainingSession:  RecordTrainingSessionHandler{d},
		RecordProfile:          RecordStaffProfileHandler{d},
		Appraise:               AppraiseStaffHandler{d},
		DeclareRelative:        DeclareRelativeHandler{d},
		RecordTalkMissed:       RecordTalkMissedHandler{d},
		RecordPatrolWeekMissed: RecordPatrolWeekMissedHandler{d},
		RecordAppraisalOverdue: RecordAppraisalOverdueHandler{d},
		DraftWorkPlan:          DraftWorkPlanHandler{d},
		DiscussWorkPlan:        DiscussWorkPlanHandler{d},
		ShareWorkPlanProgress:  ShareWorkPlanProgressHandler{d},
		SetWorkPlanGoal:        SetWorkPlanGoalHandler{d},
		RegisterFoundProperty:  RegisterFoundPropertyHandler{d},
		HandInFoundProperty:    HandInFoundPropertyHandler{d},
		ReturnFoundProperty:    ReturnFoundPropertyHandler{d},
		DisposeFoundProperty:   DisposeFoundPropertyHandler{d},
		RecordHandInOverdue:    RecordHandInOverdueHandler{d},
	}
}
