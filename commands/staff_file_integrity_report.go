package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/integrity"
)

// FileIntegrityReport files a confidential report (R-S6). Any staff
// member may file; Anonymous keeps the reporter's id off the report's
// content (the envelope's actor is still recorded, as on every event,
// and only operations can read the stream).
type FileIntegrityReport struct {
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
	r, err := integrity.File(id, m.Principal.Project, cmd.Subject, cmd.Content, cmd.Anonymous, now)
	if err != nil {
		return Result{}, domainError(err, integrityCodes)
	}
	rev, err := h.d.appendChanges(ctx, integrity.Stream(id), event.NoStream(), m.Principal.Actor(), m.Principal.Project, "", m.chain(), now, r.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
