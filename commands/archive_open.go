package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
)

// OpenArchive opens a household's archive (R-D1: by the archivist).
type OpenArchive struct {
	Household string `json:"household"`
	Owner     string `json:"owner"`
	Phone     string `json:"phone,omitempty"`
	District  string `json:"district,omitempty"`
}

type OpenArchiveHandler struct{ d handlerDeps }

func NewOpenArchiveHandler(store EventStore, clock Clock, ids IDGenerator) OpenArchiveHandler {
	return OpenArchiveHandler{newHandlerDeps(store, clock, ids)}
}

func (h OpenArchiveHandler) Handle(ctx context.Context, m Meta, cmd OpenArchive) (Result, error) {
	bad := missing("household", cmd.Household, "owner", cmd.Owner)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, archiveKeeperRoles...); err != nil {
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
	a, err := archive.Open(archive.Opened{ArchiveID: id, Project: project, District: district, Household: cmd.Household,
		Owner: cmd.Owner, Phone: cmd.Phone, At: now})
	if err != nil {
		return Result{}, domainError(err, archiveCodes)
	}
	rev, err := h.d.appendChanges(ctx, archive.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, a.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
