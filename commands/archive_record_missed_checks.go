package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
)

// RecordMissedArchiveChecks is the policy command for R-D2: each calendar
// quarter that ended without a check of the archive's catalogue against
// its contents gets archive.check_missed.v1, once. The actor is the system.
type RecordMissedArchiveChecks struct {
	ArchiveID string `json:"archive_id"`
}

type RecordMissedArchiveChecksHandler struct{ d handlerDeps }

// Handle ignores m.Principal and m.IfMatch; what it records is caused by
// the archive's latest event (recordAsSystem), unless m names a cause.
func (h RecordMissedArchiveChecksHandler) Handle(ctx context.Context, m Meta, cmd RecordMissedArchiveChecks) (PolicyResult, error) {
	if bad := missing("archive_id", cmd.ArchiveID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*archive.Archive]{id: cmd.ArchiveID, name: archive.Stream(cmd.ArchiveID),
		decode: archive.Decode, rebuild: archive.FromHistory, codes: archiveCodes},
		func(a *archive.Archive, now time.Time) (bool, error) { return a.RecordMissedChecks(now), nil })
}

// RecordMissedArchiveChecks runs the R-D2 rule on one archive; it reports
// whether a missed quarter was recorded now.
func (h *Handlers) RecordMissedArchiveChecks(ctx context.Context, archiveID string) (bool, error) {
	r, err := h.Archive.RecordMissedChecks.Handle(ctx, Meta{}, RecordMissedArchiveChecks{ArchiveID: archiveID})
	return r.Recorded, err
}
