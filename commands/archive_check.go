package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/archive"
)

// CheckArchive records a catalogue check and the documents found missing.
type CheckArchive struct {
	ArchiveID string   `json:"-"`
	Missing   []string `json:"missing,omitempty"`
}

type CheckArchiveHandler struct{ d handlerDeps }

func NewCheckArchiveHandler(store EventStore, clock Clock, ids IDGenerator) CheckArchiveHandler {
	return CheckArchiveHandler{newHandlerDeps(store, clock, ids)}
}

func (h CheckArchiveHandler) Handle(ctx context.Context, m Meta, cmd CheckArchive) (Result, error) {
	return updateArchive(ctx, h.d, m, cmd.ArchiveID, archiveCheckRoles, func(a *archive.Archive, now time.Time) error {
		return a.CheckCatalogue(cmd.Missing, now)
	})
}
