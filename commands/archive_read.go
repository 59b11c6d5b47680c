package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
)

// ReadArchive reads an owner's personal data and records who read it
// (R-D3). The access record is written before the data is returned: if
// it cannot be written, nothing is read.
type ReadArchive struct {
	ArchiveID string
	// What names what was read ("detail", "history"); default "detail".
	What string
}

type ReadArchiveHandler struct{ d handlerDeps }

func NewReadArchiveHandler(store EventStore, clock Clock, ids IDGenerator) ReadArchiveHandler {
	return ReadArchiveHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReadArchiveHandler) Handle(ctx context.Context, m Meta, cmd ReadArchive) (ArchivePersonalData, error) {
	if err := requireRole(m.Principal, archiveReadRoles...); err != nil {
		return ArchivePersonalData{}, err
	}
	hist, err := h.d.readHistory(ctx, archive.Stream(cmd.ArchiveID), archive.Decode)
	if err != nil {
		return ArchivePersonalData{}, err
	}
	if !hist.exists {
		return ArchivePersonalData{}, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s", cmd.ArchiveID)
	}
	var out ArchivePersonalData
	var project, district string
	for _, p := range hist.payloads {
		if o, ok := p.(archive.Opened); ok {
			out = ArchivePersonalData{ArchiveID: o.ArchiveID, Household: o.Household, Owner: o.Owner, Phone: o.Phone}
			project, district = o.Project, o.District
		}
	}
	if !m.Principal.CanAct(project, district) {
		// Out of scope reads as absent, like every other record.
		return ArchivePersonalData{}, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s", cmd.ArchiveID)
	}
	now := h.d.clock.Now()
	what := cmd.What
	if what == "" {
		what = "detail"
	}
	acc, err := archive.RecordAccess(cmd.ArchiveID, out.Household, m.Principal.StaffID, m.Principal.Role, what, now)
	if err != nil {
		return ArchivePersonalData{}, domainError(err, archiveCodes)
	}
	// Reads never conflict with each other: any revision is fine.
	if _, err := h.d.appendChanges(ctx, archive.AccessStream(cmd.ArchiveID), event.Any(), m.Principal.Actor(), project, district,
		m.chain(), now, []event.Payload{acc}); err != nil {
		return ArchivePersonalData{}, err
	}
	return out, nil
}
