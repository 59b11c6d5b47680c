package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/archive"
)

// RequestArchiveLoan asks to borrow an archive (R-D2): who and why.
type RequestArchiveLoan struct {
	ArchiveID string `json:"-"`
	Borrower  string `json:"borrower"`
	Purpose   string `json:"purpose"`
}

type RequestArchiveLoanHandler struct{ d handlerDeps }

func NewRequestArchiveLoanHandler(store EventStore, clock Clock, ids IDGenerator) RequestArchiveLoanHandler {
	return RequestArchiveLoanHandler{newHandlerDeps(store, clock, ids)}
}

func (h RequestArchiveLoanHandler) Handle(ctx context.Context, m Meta, cmd RequestArchiveLoan) (Result, error) {
	return updateArchive(ctx, h.d, m, cmd.ArchiveID, archiveKeeperRoles, func(a *archive.Archive, now time.Time) error {
		return a.RequestLoan(cmd.Borrower, cmd.Purpose, now)
	})
}
