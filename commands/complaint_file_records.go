package commands

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/complaint"
)

// FileComplaintRecords is the R-C6 policy command: every communication
// record of the complaint not yet filed (follow-ups, the return visit, a
// supervisor's contact) goes into the owner's archive ArchiveID (the
// archive of the complaint's unit, which the archive checks), then the
// complaint records each filing. The actor is the system.
//
// Decided: a time rule files them, not the command that records the call,
// as the key loan forms are filed (R-K5): a command writes one stream, and
// an owner whose archive is opened later still gets every record. The two
// streams are written one after the other; if the complaint's record fails
// after the archive's, the next run finds the document in the catalogue
// and records only the complaint's side, so each record is filed once.
type FileComplaintRecords struct {
	ComplaintID string `json:"complaint_id"`
	ArchiveID   string `json:"archive_id"`
}

type FileComplaintRecordsHandler struct{ d handlerDeps }

func NewFileComplaintRecordsHandler(store EventStore, clock Clock, ids IDGenerator) FileComplaintRecordsHandler {
	return FileComplaintRecordsHandler{newHandlerDeps(store, clock, ids)}
}

// archiveComplaintRecordCodes are the codes of refused complaint-record
// filings (domain/archive/complaints.go).
var archiveComplaintRecordCodes = map[error]string{
	archive.ErrComplaintRecordIncomplete: "complaint_record_incomplete",
	archive.ErrComplaintWrongHousehold:   "wrong_household",
}

func (h FileComplaintRecordsHandler) Handle(ctx context.Context, m Meta, cmd FileComplaintRecords) (PolicyResult, error) {
	if bad := missing("complaint_id", cmd.ComplaintID, "archive_id", cmd.ArchiveID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	s := complaintSystemStream(cmd.ComplaintID)
	c, rev, judged, err := loadAsSystem(ctx, h.d, s)
	if err != nil {
		return PolicyResult{}, err
	}
	if m.CausationID == "" {
		m = m.causedBy(judged)
	}
	pending := c.PendingRecords()
	if len(pending) == 0 {
		return PolicyResult{Result: Result{ID: cmd.ComplaintID, Revision: rev}}, nil
	}
	codes := maps.Clone(archiveCodes)
	maps.Copy(codes, archiveComplaintRecordCodes)
	docs := map[int]string{} // the records now in the archive's catalogue
	changed := false
	filed, err := recordAsSystem(ctx, h.d, m, systemStream[*archive.Archive]{id: cmd.ArchiveID, name: archive.Stream(cmd.ArchiveID),
		decode: archive.Decode, rebuild: archive.FromHistory, codes: codes},
		func(a *archive.Archive, now time.Time) (bool, error) {
			if a.Project() != c.Project() {
				return false, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s in the complaint's project", cmd.ArchiveID)
			}
			for _, e := range pending {
				doc := complaint.EntryDocument(cmd.ComplaintID, e.N)
				err := a.FileComplaintRecord(archive.ComplaintRecord{Document: doc, ComplaintID: cmd.ComplaintID, Unit: c.Unit(),
					Entry: e.N, Kind: string(e.Kind), Channel: string(e.Channel), Note: e.Note, RecordedAt: e.At}, now)
				// Already in the catalogue: filed by an earlier run whose complaint record did not land.
				if err != nil && !errors.Is(err, archive.ErrDuplicateDocument) {
					return false, err
				}
				docs[e.N] = doc
			}
			changed = len(a.Changes()) > 0
			return changed, nil
		})
	if err != nil {
		return PolicyResult{}, err
	}
	if changed && !filed.Recorded {
		// The archive moved under us: nothing is filed now, the next run files again.
		return PolicyResult{Result: Result{ID: cmd.ComplaintID, Revision: rev}}, nil
	}
	return recordAsSystem(ctx, h.d, m, s, func(c *complaint.Complaint, now time.Time) (bool, error) {
		n := 0
		for _, e := range c.PendingRecords() {
			doc, ok := docs[e.N]
			if !ok {
				continue // a record that came after the archive's filing waits for the next run
			}
			if err := c.RecordEntryFiled(e.N, cmd.ArchiveID, doc, now); err != nil {
				return false, err
			}
			n++
		}
		return n > 0, nil
	})
}
