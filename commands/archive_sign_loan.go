package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/archive"
)

// SignArchiveLoan is the signature that lets a requested loan go out (R-D2).
type SignArchiveLoan struct {
	ArchiveID string `json:"-"`
}

type SignArchiveLoanHandler struct{ d handlerDeps }

func NewSignArchiveLoanHandler(store EventStore, clock Clock, ids IDGenerator) SignArchiveLoanHandler {
	return SignArchiveLoanHandler{newHandlerDeps(store, clock, ids)}
}

func (h SignArchiveLoanHandler) Handle(ctx context.Context, m Meta, cmd SignArchiveLoan) (Result, error) {
	return updateArchive(ctx, h.d, m, cmd.ArchiveID, archiveSignRoles, func(a *archive.Archive, now time.Time) error {
		return a.SignLoan(m.Principal.StaffID, m.Principal.Role, now)
	})
}
