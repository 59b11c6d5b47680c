package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
)

// Who may run which renovation command (R-R1…R-R6). The district butler
// files, checks the site, briefs, inspects daily and handles violations
// (the seed: 管家负责全程跟踪); approval is the supervisor's or project
// manager's; the acceptance inspection is engineering's (竣工验收); the
// supervisor checks records against the register twice a week.
//
//	command                          butler supervisor project_manager engineer
//	file, add document                 x        x
//	approve                                     x            x
//	site check, rules briefing         x        x
//	start, inspect, complete           x        x
//	violation record/rectify/close     x        x
//	acceptance inspection, fix finding                                    x
//	close (owner may move in)          x        x
//	register check                              x
//	assign area to staff (R-R7)                 x            x
//	talk with the owner (R-R7)         x        x
//	policies (inspection missed, register checks short): system actor
var (
	renovationButlerRoles   = []string{RoleButler, RoleSupervisor}
	renovationApproveRoles  = []string{RoleSupervisor, RoleProjectManager}
	renovationEngineerRoles = []string{RoleEngineer}
	renovationRegisterRoles = []string{RoleSupervisor}
	renovationAssignRoles   = []string{RoleSupervisor, RoleProjectManager}
)

var renovationRegisterNamespace = uuid.MustParse("a3c6f0e2-5d41-4a8b-9e7c-1f2b3c4d5e6f")

// RenovationRegisterWeekID is the id of a project's register week (2026-W10).
func RenovationRegisterWeekID(project, week string) string {
	return uuid.NewSHA1(renovationRegisterNamespace, []byte(project+"\x00"+week)).String()
}

var renovationCodes = map[error]string{
	renovation.ErrUnitUnderRenovation:   "unit_under_renovation",
	renovation.ErrAssignmentIncomplete:  "assignment_incomplete",
	renovation.ErrTalkIncomplete:        "talk_incomplete",
	renovation.ErrNotFiled:              "not_filed",
	renovation.ErrFilingIncomplete:      "filing_incomplete",
	renovation.ErrUnknownDocument:       "unknown_document",
	renovation.ErrDocumentRefMissing:    "document_ref_missing",
	renovation.ErrDocumentsIncomplete:   "documents_incomplete",
	renovation.ErrAlreadyApproved:       "already_approved",
	renovation.ErrNotApproved:           "not_approved",
	renovation.ErrSiteCheckMissing:      "site_check_missing",
	renovation.ErrBriefingMissing:       "briefing_missing",
	renovation.ErrBriefingAttendees:     "briefing_attendees_missing",
	renovation.ErrNotInProgress:         "not_in_progress",
	renovation.ErrAlreadyStarted:        "already_started",
	renovation.ErrChecklistIncomplete:   "checklist_incomplete",
	renovation.ErrUnknownChecklistItem:  "unknown_checklist_item",
	renovation.ErrViolationIncomplete:   "violation_incomplete",
	renovation.ErrUnknownViolation:      "unknown_violation",
	renovation.ErrViolationNotRectified: "violation_not_rectified",
	renovation.ErrViolationClosed:       "violation_closed",
	renovation.ErrViolationsOpen:        "violations_open",
	renovation.ErrNotCompleted:          "not_completed",
	renovation.ErrUnknownFinding:        "unknown_finding",
	renovation.ErrNotAccepted:           "not_accepted",
	renovation.ErrClosed:                "closed",
}

var renovationRegisterCodes = map[error]string{
	register.ErrWeekInvalid:    "week_invalid",
	register.ErrNotOpened:      "not_opened",
	register.ErrNothingChecked: "nothing_checked",
	register.ErrNoteMissing:    "note_missing",
}

func updateRenovation(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(r *renovation.Renovation, now time.Time) error) (Result, error) {
	if bad := missing("renovation_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, renovation.Stream(id), roles, renovation.Decode, renovation.FromHistory, renovationCodes, act)
}

// RecordMissedInspections runs the R-R3 policy on one renovation.
func (h *Handlers) RecordMissedInspections(ctx context.Context, renovationID string) (bool, error) {
	r, err := h.Renovation.RecordMissedInspections.Handle(ctx, Meta{}, RecordMissedInspections{RenovationID: renovationID})
	return r.Recorded, err
}

// onRegisterWeek loads (or opens) a project's register week, runs act and
// appends what it recorded.
func onRegisterWeek(ctx context.Context, d handlerDeps, actor event.Actor, c chain, project, week string,
	act func(w *register.Week, now time.Time) (bool, error)) (PolicyResult, error) {
	id := RenovationRegisterWeekID(project, week)
	stream := register.Stream(id)
	h, err := d.readHistory(ctx, stream, register.Decode)
	if err != nil {
		return PolicyResult{}, err
	}
	var w *register.Week
	expected := event.NoStream()
	if h.exists {
		if w, err = register.FromHistory(h.payloads); err != nil {
			return PolicyResult{}, fmt.Errorf("rebuild %s: %w", stream, err)
		}
		expected = event.Exact(h.revision)
	} else if w, err = register.Open(project, week); err != nil {
		return PolicyResult{}, domainError(err, renovationRegisterCodes)
	}
	now := d.clock.Now()
	recorded, err := act(w, now)
	if err != nil {
		return PolicyResult{}, domainError(err, renovationRegisterCodes)
	}
	if !recorded {
		return PolicyResult{Result: Result{ID: id, Revision: h.revision}}, nil
	}
	rev, err := d.appendChanges(ctx, stream, expected, actor, project, w.District(), c, now, w.Changes())
	if err != nil {
		return PolicyResult{}, err
	}
	return PolicyResult{Result: Result{ID: id, Revision: rev}, Recorded: true}, nil
}

// RecordRegisterChecksShort runs the R-R6 policy on one project's week.
func (h *Handlers) RecordRegisterChecksShort(ctx context.Context, project, week string) (bool, error) {
	r, err := h.Renovation.RecordRegisterChecksShort.Handle(ctx, Meta{}, RecordRegisterChecksShort{Project: project, Week: week})
	return r.Recorded, err
}

// RenovationHandlers are the renovation module's command handlers.
type RenovationHandlers struct {
	File                      FileRenovationHandler
	FileDocument              FileRenovationDocumentHandler
	Approve                   ApproveRenovationHandler
	CheckSite                 CheckRenovationSiteHandler
	BriefRules                BriefRenovationRulesHandler
	Start                     StartRenovationHandler
	Inspect                   InspectRenovationHandler
	RecordViolation           RecordRenovationViolationHandler
	RectifyViolation          RectifyRenovationViolationHandler
	CloseViolation            CloseRenovationViolationHandler
	Complete                  CompleteRenovationHandler
	InspectForAcceptance      InspectRenovationForAcceptanceHandler
	FixFinding                FixRenovationFindingHandler
	Close                     CloseRenovationHandler
	CheckRegister             CheckRenovationRegisterHandler
	RecordMissedInspections   RecordMissedInspectionsHandler
	RecordRegisterChecksShort RecordRegisterChecksShortHandler
	Assign                    AssignRenovationHandler
	TalkWithOwner             TalkWithRenovatingOwnerHandler
	RecordTalkOverdue         RecordRenovationTalkOverdueHandler
}

func newRenovationHandlers(d handlerDeps) RenovationHandlers {
	return RenovationHandlers{
		File:                      FileRenovationHandler{d},
		FileDocument:              FileRenovationDocumentHandler{d},
		Approve:                   ApproveRenovationHandler{d},
		CheckSite:                 CheckRenovationSiteHandler{d},
		BriefRules:                BriefRenovationRulesHandler{d},
		Start:                     StartRenovationHandler{d},
		Inspect:                   InspectRenovationHandler{d},
		RecordViolation:           RecordRenovationViolationHandler{d},
		RectifyViolation:          RectifyRenovationViolationHandler{d},
		CloseViolation:            CloseRenovationViolationHandler{d},
		Complete:                  CompleteRenovationHandler{d},
		InspectForAcceptance:      InspectRenovationForAcceptanceHandler{d},
		FixFinding:                FixRenovationFindingHandler{d},
		Close:                     CloseRenovationHandler{d},
		CheckRegister:             CheckRenovationRegisterHandler{d},
		RecordMissedInspections:   RecordMissedInspectionsHandler{d},
		RecordRegisterChecksShort: NewRecordRegisterChecksShortHandler(d.store, d.clock, d.ids),
		Assign:                    AssignRenovationHandler{d},
		TalkWithOwner:             TalkWithRenovatingOwnerHandler{d},
		RecordTalkOverdue:         RecordRenovationTalkOverdueHandler{d},
	}
}
