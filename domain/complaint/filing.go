package complaint

import (
	"fmt"
	"time"
)

// R-C6: every call or visit is a communication record kept with the
// complaint, and the owner's archive holds it (投诉处理记录表存入客户档案).
// The complaint numbers its records (Entry.N, from 1, in the order they
// were recorded): follow-ups, the return visit and supervisors' contacts.
// A time rule files each into the archive of the complaint's unit and
// records RecordFiled here, as the key loan forms are filed (R-K5).

// EntryKind is what a communication record is.
type EntryKind string

const (
	EntryCommunication     EntryKind = "communication"      // a follow-up: call, visit, message
	EntryReturnVisit       EntryKind = "return_visit"       // the return visit (回访)
	EntrySupervisorContact EntryKind = "supervisor_contact" // a supervisor spoke with the owner (R-C8)
)

// Entry is one communication record of a complaint.
type Entry struct {
	N       int
	Kind    EntryKind
	Channel Channel
	Note    string
	At      time.Time
}

// EntryDocument is the archive's catalogue name of a complaint's record.
func EntryDocument(complaintID string, n int) string {
	return fmt.Sprintf("投诉处理记录 %s #%d", complaintID, n)
}

// Unit is the unit (household) the complaint is about.
func (c *Complaint) Unit() string { return c.unit }

// PendingRecords are the communication records not yet in the archive.
func (c *Complaint) PendingRecords() []Entry {
	var out []Entry
	for _, e := range c.entries {
		if !c.filed[e.N] {
			out = append(out, e)
		}
	}
	return out
}

// RecordEntryFiled records that record n is in archive archiveID as document
// (R-C6). Allowed on a closed complaint: filing follows the record.
func (c *Complaint) RecordEntryFiled(n int, archiveID, document string, now time.Time) error {
	if c.status == StatusNew {
		return ErrNotRegistered
	}
	if n < 1 || n > len(c.entries) {
		return ErrUnknownEntry
	}
	if c.filed[n] {
		return ErrEntryFiled
	}
	if blank(archiveID) || blank(document) {
		return ErrRegistrationIncomplete
	}
	c.record(RecordFiled{Entry: n, ArchiveID: archiveID, Document: document, At: now})
	return nil
}
