package archive

import (
	"errors"
	"strings"
	"time"
)

// R-C6, R-W8: a complaint's communication records (calls, visits,
// messages, the return visit, a supervisor's contact) go into the owner's
// archive (投诉处理记录表存入客户档案), one catalogue entry each.

// TypeComplaintRecordFiled is a complaint's communication record filed.
const TypeComplaintRecordFiled = "archive.complaint_record_filed.v1"

// ComplaintRecordKind is the catalogue kind of complaint records.
const ComplaintRecordKind = "complaint_record"

// The refusals of filing a complaint record.
var (
	ErrComplaintRecordIncomplete = errors.New("a complaint record names the complaint, its number, its document name, what it was and what was said (R-C6)")
	ErrComplaintWrongHousehold   = errors.New("a complaint record goes into the archive of the complaint's own unit (R-C6)")
)

// ComplaintRecord is a complaint's communication record to file; Unit is
// the complaint's unit, which must be this archive's household.
type ComplaintRecord struct {
	Document    string
	ComplaintID string
	Unit        string
	Entry       int
	Kind        string // communication, return_visit, supervisor_contact
	Channel     string
	Note        string
	RecordedAt  time.Time
}

// ComplaintRecordFiled: a complaint's communication record in the
// catalogue of the owner's archive (R-C6).
type ComplaintRecordFiled struct {
	Document    string    `json:"document"`
	ComplaintID string    `json:"complaint_id"`
	Entry       int       `json:"entry"`
	Kind        string    `json:"kind"`
	Channel     string    `json:"channel"`
	Note        string    `json:"note"`
	RecordedAt  time.Time `json:"recorded_at"`
	At          time.Time `json:"at"`
}

func (ComplaintRecordFiled) EventType() string { return TypeComplaintRecordFiled }

// FileComplaintRecord enters a complaint's communication record in the
// owner's archive (R-C6). A record already in the catalogue is
// ErrDuplicateDocument.
func (a *Archive) FileComplaintRecord(r ComplaintRecord, now time.Time) error {
	if a.lost {
		return ErrLost
	}
	if blank(r.Document) || blank(r.ComplaintID) || r.Entry < 1 || blank(r.Kind) || blank(r.Note) {
		return ErrComplaintRecordIncomplete
	}
	if strings.TrimSpace(r.Unit) != strings.TrimSpace(a.household) {
		return ErrComplaintWrongHousehold
	}
	if a.catalogue[r.Document] {
		return ErrDuplicateDocument
	}
	a.record(ComplaintRecordFiled{Document: r.Document, ComplaintID: r.ComplaintID, Entry: r.Entry, Kind: r.Kind,
		Channel: r.Channel, Note: r.Note, RecordedAt: r.RecordedAt, At: now})
	return nil
}
