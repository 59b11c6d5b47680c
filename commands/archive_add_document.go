package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/archive"
)

// AddArchiveDocument files a document into an owner's archive (R-D1).
type AddArchiveDocument struct {
	ArchiveID string `json:"-"`
	Document  string `json:"document"`
	Kind      string `json:"kind"`
}

type AddArchiveDocumentHandler struct{ d handlerDeps }

func NewAddArchiveDocumentHandler(store EventStore, clock Clock, ids IDGenerator) AddArchiveDocumentHandler {
	return AddArchiveDocumentHandler{newHandlerDeps(store, clock, ids)}
}

func (h AddArchiveDocumentHandler) Handle(ctx context.Context, m Meta, cmd AddArchiveDocument) (Result, error) {
	return updateArchive(ctx, h.d, m, cmd.ArchiveID, archiveKeeperRoles, func(a *archive.Archive, now time.Time) error {
		return a.AddDocument(cmd.Document, cmd.Kind, now)
	})
}
