package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/warning"
)

// The project manager's warnings (R-C4, R-H5, R-M4): raised by the
// complaint or visit that records them, acknowledged here.
//
//	command                 project_manager
//	warning acknowledge           x
var warningAckRoles = []string{RoleProjectManager}

// warningCodes are the stable error codes of refused warning rules.
var warningCodes = map[error]string{
	warning.ErrNotAWarning:          "not_a_warning",
	warning.ErrAlreadyAcknowledged:  "already_acknowledged",
	warning.ErrAcknowledgedTooEarly: "acknowledged_before_raised",
}

// WarningHandlers are the warnings' command handlers.
type WarningHandlers struct {
	Acknowledge AcknowledgeWarningHandler
}

func newWarningHandlers(d handlerDeps) WarningHandlers {
	return WarningHandlers{Acknowledge: AcknowledgeWarningHandler{d}}
}

// AcknowledgeWarning records that the project manager took note of a
// warning (R-C4, R-H5), with an optional note of what they will do.
type AcknowledgeWarning struct {
	WarningID string `json:"-"`
	Note      string `json:"note,omitempty"`
}

type AcknowledgeWarningHandler struct{ d handlerDeps }

func NewAcknowledgeWarningHandler(store EventStore, clock Clock, ids IDGenerator) AcknowledgeWarningHandler {
	return AcknowledgeWarningHandler{newHandlerDeps(store, clock, ids)}
}

func (h AcknowledgeWarningHandler) Handle(ctx context.Context, m Meta, cmd AcknowledgeWarning) (Result, error) {
	if err := requireRole(m.Principal, warningAckRoles...); err != nil {
		return Result{}, err
	}
	raised, err := h.raised(ctx, cmd.WarningID)
	if err != nil {
		return Result{}, err
	}
	if !m.Principal.CanAct(raised.Project, raised.District) {
		return Result{}, noWarning(cmd.WarningID)
	}
	stream := warning.Stream(cmd.WarningID)
	hist, err := h.d.readHistory(ctx, stream, warning.Decode)
	if err != nil {
		return Result{}, err
	}
	w, err := warning.FromHistory(hist.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	expected := event.NoStream()
	if hist.exists {
		if err := checkIfMatch(m, hist.revision); err != nil {
			return Result{}, err
		}
		expected = event.Exact(hist.revision)
	}
	now := h.d.clock.Now()
	if err := w.Acknowledge(raised, m.Principal.StaffID, cmd.Note, now); err != nil {
		return Result{}, domainError(err, warningCodes)
	}
	rev, err := h.d.appendChanges(ctx, stream, expected, m.Principal.Actor(), raised.Project, raised.District, m.chain(), now, w.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: cmd.WarningID, Revision: rev}, nil
}

// raised reads the event a warning id names: it must be one that raises
// a warning (warning.Sources).
func (h AcknowledgeWarningHandler) raised(ctx context.Context, id string) (warning.Raised, error) {
	stream, rev, ok := warning.ParseID(id)
	if !ok {
		return warning.Raised{}, apperr.Errorf(apperr.BadRequest, "invalid_id",
			"%q is not a warning id (the raising record's stream and event revision, as GET /warnings lists them)", id)
	}
	recs, err := h.d.store.ReadStream(ctx, stream, rev, event.Forward, 1)
	if errors.Is(err, event.ErrStreamNotFound) || (err == nil && (len(recs) == 0 || recs[0].Revision != rev)) {
		return warning.Raised{}, noWarning(id)
	}
	if err != nil {
		return warning.Raised{}, fmt.Errorf("read %s: %w", stream, err)
	}
	e := recs[0]
	src, ok := warning.SourceOf(e.Stream, e.Type)
	if !ok {
		return warning.Raised{}, noWarning(id)
	}
	return warning.Raised{ID: id, Source: e.Stream, Rule: src.Rule, Project: e.Meta.Project, District: e.Meta.District,
		At: e.Meta.OccurredAt}, nil
}

func noWarning(id string) *apperr.Error {
	return apperr.Errorf(apperr.NotFound, "not_found", "no warning %s", strings.TrimSpace(id))
}
