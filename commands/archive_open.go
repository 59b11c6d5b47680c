package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
)

// OpenArchive opens a household's archive (R-D1: by the archivist).
type OpenArchive struct {
	Household string `json:"household"`
	Owner     string `json:"owner"`
	Phone     string `json:"phone,omitempty"`
	District  string `json:"district,omitempty"`
}

type OpenArchiveHandler struct{ d handlerDeps }

func NewOpenArchiveHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) OpenArchiveHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return OpenArchiveHandler{d}
}

func (h OpenArchiveHandler) Handle(ctx context.Context, m Meta, cmd OpenArchive) (Result, error) {
	bad := missing("household", cmd.Household, "owner", cmd.Owner)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, archiveKeeperRoles...); err != nil {
		return Result{}, err
	}
	// The owner's name and phone are the household's, sealed (R-D3).
	return createOwnedRecord(ctx, h.d, m, cmd.District, owner{unit: cmd.Household, name: cmd.Owner, phones: []string{cmd.Phone}}, archive.Stream, archiveCodes, func(r newRecord) (changer, error) {
		return archive.Open(archive.Opened{ArchiveID: r.ID, Project: r.Project, District: r.District, Household: cmd.Household,
			At: r.Now})
	})
}
