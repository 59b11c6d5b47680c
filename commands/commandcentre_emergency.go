package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
)

// ReportEmergency records an emergency: fire, wall_climbing,
// elevator_entrapment or suspicious_person, with its procedure (R-N2).
type ReportEmergency struct {
	Type     string `json:"type"`
	Location string `json:"location"`
	District string `json:"district,omitempty"`
}

type ReportEmergencyHandler struct{ d handlerDeps }

func NewReportEmergencyHandler(store EventStore, clock Clock, ids IDGenerator) ReportEmergencyHandler {
	return ReportEmergencyHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReportEmergencyHandler) Handle(ctx context.Context, m Meta, cmd ReportEmergency) (Result, error) {
	if bad := missing("type", cmd.Type, "location", cmd.Location); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, emergencyRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	e, err := cc.ReportEmergency(id, project, district, cmd.Type, cmd.Location, now)
	if err != nil {
		return Result{}, domainError(err, commandCentreCodes)
	}
	rev, err := h.d.appendChanges(ctx, commandcentre.EmergencyStream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, e.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// CompleteEmergencyStep records one procedure step done.
type CompleteEmergencyStep struct {
	EmergencyID string `json:"-"`
	Step        string `json:"step"`
	Note        string `json:"note,omitempty"`
}

type CompleteEmergencyStepHandler struct{ d handlerDeps }

func NewCompleteEmergencyStepHandler(store EventStore, clock Clock, ids IDGenerator) CompleteEmergencyStepHandler {
	return CompleteEmergencyStepHandler{newHandlerDeps(store, clock, ids)}
}

func (h CompleteEmergencyStepHandler) Handle(ctx context.Context, m Meta, cmd CompleteEmergencyStep) (Result, error) {
	return updateEmergency(ctx, h.d, m, cmd.EmergencyID, func(e *cc.Emergency, now time.Time) error {
		return e.CompleteStep(cmd.Step, cmd.Note, now)
	})
}

// CloseEmergency ends an emergency once every step is done.
type CloseEmergency struct {
	EmergencyID string `json:"-"`
	Summary     string `json:"summary"`
}

type CloseEmergencyHandler struct{ d handlerDeps }

func NewCloseEmergencyHandler(store EventStore, clock Clock, ids IDGenerator) CloseEmergencyHandler {
	return CloseEmergencyHandler{newHandlerDeps(store, clock, ids)}
}

func (h CloseEmergencyHandler) Handle(ctx context.Context, m Meta, cmd CloseEmergency) (Result, error) {
	return updateEmergency(ctx, h.d, m, cmd.EmergencyID, func(e *cc.Emergency, now time.Time) error {
		return e.Close(cmd.Summary, now)
	})
}

// RecordDrill records a monthly emergency drill (R-N2). The result's ID
// is the project.
type RecordDrill struct {
	Type         string `json:"type"`
	Participants int    `json:"participants"`
}

type RecordDrillHandler struct{ d handlerDeps }

func NewRecordDrillHandler(store EventStore, clock Clock, ids IDGenerator) RecordDrillHandler {
	return RecordDrillHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordDrillHandler) Handle(ctx context.Context, m Meta, cmd RecordDrill) (Result, error) {
	return updateCommandCentreLog(ctx, h.d, m, func(l *cc.Log, now time.Time) error {
		return l.RecordDrill(cmd.Type, cmd.Participants, now)
	})
}

// RecordHandoverCheck records a check of a shift's hand-over (R-N3).
type RecordHandoverCheck struct {
	ShiftID string `json:"shift_id"`
	Passed  bool   `json:"passed"`
	Notes   string `json:"notes,omitempty"`
}

type RecordHandoverCheckHandler struct{ d handlerDeps }

func NewRecordHandoverCheckHandler(store EventStore, clock Clock, ids IDGenerator) RecordHandoverCheckHandler {
	return RecordHandoverCheckHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordHandoverCheckHandler) Handle(ctx context.Context, m Meta, cmd RecordHandoverCheck) (Result, error) {
	return updateCommandCentreLog(ctx, h.d, m, func(l *cc.Log, now time.Time) error {
		return l.RecordHandoverCheck(cmd.ShiftID, cmd.Passed, cmd.Notes, now)
	})
}
