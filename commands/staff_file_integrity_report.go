package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/integrity"
)

// FileIntegrityReport files a confidential report (R-S6). Any staff
// member may file, and only operations reads reports. An anonymous report
// records nothing of its reporter: its events' actor is event.Anonymous
// (not the caller's staff id or role), its correlation id is a new one
// (not the caller's X-Correlation-ID, which could tie it to their other
// requests), and the access log leaves the staff id out of the filing's
// line.
type FileIntegrityReport struct {
	// Kind is the prohibited act reported (integrity.Kinds; "" is other).
	Kind      string `json:"kind"`
	Subject   string `json:"subject"`
	Content   string `json:"content"`
	Anonymous bool   `json:"anonymous"`
}

type FileIntegrityReportHandler struct{ d handlerDeps }

func NewFileIntegrityReportHandler(store EventStore, clock Clock, ids IDGenerator) FileIntegrityReportHandler {
	return FileIntegrityReportHandler{newHandlerDeps(store, clock, ids)}
}

func (h FileIntegrityReportHandler) Handle(ctx context.Context, m Meta, cmd FileIntegrityReport) (Result, error) {
	if bad := missing("subject", cmd.Subject, "content", cmd.Content); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if m.Principal.Project == "" || m.Principal.StaffID == "" {
		return Result{}, forbiddenScope()
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	r, err := integrity.File(id, m.Principal.Project, cmd.Kind, cmd.Subject, cmd.Content, cmd.Anonymous, now)
	if err != nil {
		return Result{}, domainError(err, integrityCodes)
	}
	actor, c := m.Principal.Actor(), m.chain()
	if cmd.Anonymous {
		actor, c = event.Anonymous, chain{} // appendChanges draws a new correlation id
	}
	rev, err := h.d.appendChanges(ctx, integrity.Stream(id), event.NoStream(), actor, m.Principal.Project, "", c, now, r.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
