package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
)

// ShiftStream, EmergencyStream and CommandCentreLogStream name the

// commandCentreCodes are the stable error codes of refused command-centre rules.
var commandCentreCodes = map[error]string{
	cc.ErrNotOpened:             "shift_not_opened",
	cc.ErrOpenIncomplete:        "open_incomplete",
	cc.ErrPreviousNotHandedOver: "previous_not_handed_over",
	cc.ErrShiftClosed:           "shift_closed",
	cc.ErrMessageIncomplete:     "message_incomplete",
	cc.ErrUnknownMessage:        "unknown_message",
	cc.ErrResultMissing:         "result_missing",
	cc.ErrNextOperatorMissing:   "next_operator_missing",
	cc.ErrAlreadyHandedOver:     "already_handed_over",
	cc.ErrMessagesOpen:          "messages_open",
	cc.ErrUnknownEmergency:      "unknown_emergency",
	cc.ErrLocationMissing:       "location_missing",
	cc.ErrNotReported:           "emergency_not_reported",
	cc.ErrEmergencyClosed:       "emergency_closed",
	cc.ErrUnknownStep:           "unknown_step",
	cc.ErrStepDone:              "step_already_done",
	cc.ErrStepsOutstanding:      "steps_outstanding",
	cc.ErrSummaryMissing:        "summary_missing",
	cc.ErrParticipantsMissing:   "participants_missing",
	cc.ErrShiftMissing:          "shift_missing",
}

func updateShift(ctx context.Context, d handlerDeps, m Meta, id string, act func(s *cc.Shift, now time.Time) error) (Result, error) {
	if bad := missing("shift_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, commandcentre.ShiftStream(id), shiftRoles, cc.Decode, cc.ShiftFromHistory, commandCentreCodes, act)
}

func updateEmergency(ctx context.Context, d handlerDeps, m Meta, id string, act func(e *cc.Emergency, now time.Time) error) (Result, error) {
	if bad := missing("emergency_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, commandcentre.EmergencyStream(id), emergencyRoles, cc.Decode, cc.EmergencyFromHistory, commandCentreCodes, act)
}

// updateCommandCentreLog appends to the project's drill and check log.
func updateCommandCentreLog(ctx context.Context, d handlerDeps, m Meta, act func(l *cc.Log, now time.Time) error) (Result, error) {
	if err := requireRole(m.Principal, ccRegisterRoles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	if project == "" {
		return Result{}, forbiddenScope()
	}
	stream := commandcentre.LogStream(project)
	h, err := d.readHistory(ctx, stream, cc.Decode)
	if err != nil {
		return Result{}, err
	}
	expected := event.NoStream()
	if h.exists {
		expected = event.Exact(h.revision)
	}
	l, err := cc.LogFromHistory(project, h.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	now := d.clock.Now()
	if err := act(l, now); err != nil {
		return Result{}, domainError(err, commandCentreCodes)
	}
	rev, err := d.appendChanges(ctx, stream, expected, m.Principal.Actor(), project, "", m.chain(), now, l.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: project, Revision: rev}, nil
}

// CommandCentreHandlers are the command-centre module's command handlers.
type CommandCentreHandlers struct {
	OpenShift             OpenShiftHandler
	LogMessage            LogMessageHandler
	HandleMessage         HandleMessageHandler
	HandOverShift         HandOverShiftHandler
	CloseShift            CloseShiftHandler
	ReportEmergency       ReportEmergencyHandler
	CompleteEmergencyStep CompleteEmergencyStepHandler
	CloseEmergency        CloseEmergencyHandler
	RecordDrill           RecordDrillHandler
	RecordHandoverCheck   RecordHandoverCheckHandler
}

func newCommandCentreHandlers(d handlerDeps) CommandCentreHandlers {
	return CommandCentreHandlers{
		OpenShift:             OpenShiftHandler{d},
		LogMessage:            LogMessageHandler{d},
		HandleMessage:         HandleMessageHandler{d},
		HandOverShift:         HandOverShiftHandler{d},
		CloseShift:            CloseShiftHandler{d},
		ReportEmergency:       ReportEmergencyHandler{d},
		CompleteEmergencyStep: NewCompleteEmergencyStepHandler(d.store, d.clock, d.ids),
		CloseEmergency:        CloseEmergencyHandler{d},
		RecordDrill:           RecordDrillHandler{d},
		RecordHandoverCheck:   RecordHandoverCheckHandler{d},
	}
}
