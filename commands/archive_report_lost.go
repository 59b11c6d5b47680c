package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/archive"
)

// ReportArchiveLost records a lost archive, who is accountable and why.
type ReportArchiveLost struct {
	ArchiveID   string `json:"-"`
	Accountable string `json:"accountable"`
	Reason      string `json:"reason"`
}

type ReportArchiveLostHandler struct{ d handlerDeps }

func NewReportArchiveLostHandler(store EventStore, clock Clock, ids IDGenerator) ReportArchiveLostHandler {
	return ReportArchiveLostHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReportArchiveLostHandler) Handle(ctx context.Context, m Meta, cmd ReportArchiveLost) (Result, error) {
	return updateArchive(ctx, h.d, m, cmd.ArchiveID, archiveLossRoles, func(a *archive.Archive, now time.Time) error {
		return a.ReportLost(cmd.Accountable, cmd.Reason, now)
	})
}
