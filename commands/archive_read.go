package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// ReadArchive reads an owner's personal data and records who read it
// (R-D3). The access record is written before the data is returned: if
// it cannot be written, nothing is read.
type ReadArchive struct {
	ArchiveID string
	// What names what was read ("detail", "history"); default "detail".
	What string
	// Route is the endpoint's route pattern, for the access log of all
	// personal data (default /api/v1/archives/:id); Zone its day.
	Route string
	Zone  *time.Location
}

type ReadArchiveHandler struct{ d handlerDeps }

func NewReadArchiveHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) ReadArchiveHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return ReadArchiveHandler{d}
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
			out = ArchivePersonalData{ArchiveID: o.ArchiveID, Household: o.Household}
			project, district = o.Project, o.District
		}
	}
	if !m.Principal.CanAct(project, district) {
		// Out of scope reads as absent, like every other record.
		return ArchivePersonalData{}, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s", cmd.ArchiveID)
	}
	if out.Owner, out.Phone, err = h.d.ownerOf(ctx, project, out.Household, archive.Stream(cmd.ArchiveID)); err != nil {
		return ArchivePersonalData{}, err
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
	// The same read in the access log of all personal data (R-D3), unless
	// there was nothing to show.
	if out.Owner != "" && out.Owner != household.ErasedText {
		route := cmd.Route
		if route == "" {
			route = "/api/v1/archives/:id"
		}
		rec, err := household.NewRead(route, []string{out.Household}, now)
		if err != nil {
			return ArchivePersonalData{}, domainError(err, householdCodes)
		}
		zone := cmd.Zone
		if zone == nil {
			zone = time.UTC
		}
		if _, err := h.d.appendChanges(ctx, household.AccessStream(project, now.In(zone).Format(time.DateOnly)), event.Any(),
			m.Principal.Actor(), project, m.Principal.District, m.chain(), now, []event.Payload{rec}); err != nil {
			return ArchivePersonalData{}, err
		}
	}
	return out, nil
}
