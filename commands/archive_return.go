package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/archive"
)

// ReturnArchive takes a borrowed archive back in.
type ReturnArchive struct {
	ArchiveID string `json:"-"`
}

type ReturnArchiveHandler struct{ d handlerDeps }

func NewReturnArchiveHandler(store EventStore, clock Clock, ids IDGenerator) ReturnArchiveHandler {
	return ReturnArchiveHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReturnArchiveHandler) Handle(ctx context.Context, m Meta, cmd ReturnArchive) (Result, error) {
	return updateArchive(ctx, h.d, m, cmd.ArchiveID, archiveKeeperRoles, func(a *archive.Archive, now time.Time) error {
		return a.Return(now)
	})
}
