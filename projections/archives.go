package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Archive read models (R-D1…R-D3).
const (
	ArchivesIndex      = "archives"
	ArchiveAccessIndex = "archive_access"
)

// Archive is a household's archive without the owner's personal data:
// names and phones stay out of the search index (R-D3) and are read only
// through the logged detail endpoint.
type Archive struct {
	ID               string         `json:"id"`
	Project          string         `json:"project"`
	District         string         `json:"district"`
	Household        string         `json:"household"`
	Catalogue        []ArchiveEntry `json:"catalogue"`
	Status           string         `json:"status"` // in, loan_requested, on_loan, lost
	Borrower         string         `json:"borrower,omitempty"`
	Purpose          string         `json:"purpose,omitempty"`
	SignedBy         string         `json:"signed_by,omitempty"`
	Loans            int            `json:"loans"`
	Checks           int            `json:"checks"`
	LastCheckAt      *time.Time     `json:"last_check_at,omitempty"`
	LastCheckMatches bool           `json:"last_check_matches"`
	Missing          []string       `json:"missing,omitempty"`
	Accountable      string         `json:"accountable,omitempty"`
	LossReason       string         `json:"loss_reason,omitempty"`
	OpenedAt         time.Time      `json:"opened_at"`
	// R-D2: each full calendar quarter after the opening one needs a
	// check. CheckDueBy is the end of the first quarter not yet checked
	// nor recorded missed (none once lost); CheckedQuarters and
	// MissedQuarters say which were which; MissedMonths the last month of
	// each missed quarter (what archive-checks-missed counts).
	CheckDueBy      *time.Time `json:"check_due_by,omitempty"`
	CheckedQuarters []string   `json:"checked_quarters"`
	MissedQuarters  []string   `json:"missed_quarters"`
	MissedMonths    []string   `json:"missed_months"`
	ChecksMissed    int        `json:"checks_missed"`
	Versioned
}

// dueCheck sets the archive's next check deadline from its quarters (R-D2).
func (d *Archive) dueCheck() {
	if d.Status == "lost" {
		d.CheckDueBy = nil
		return
	}
	due := archive.CheckDueBy(d.OpenedAt, func(q string) bool {
		return slices.Contains(d.CheckedQuarters, q) || slices.Contains(d.MissedQuarters, q)
	})
	d.CheckDueBy = &due
}

// ArchiveEntry is one catalogued document. A key loan form (R-K5) also
// names its key, loan and stage and the loan's details.
type ArchiveEntry struct {
	Document         string     `json:"document"`
	Kind             string     `json:"kind"`
	KeyID            string     `json:"key_id,omitempty"`
	Loan             int        `json:"loan,omitempty"`
	Stage            string     `json:"stage,omitempty"`
	Borrower         string     `json:"borrower,omitempty"`
	AuthorisationRef string     `json:"authorisation_ref,omitempty"`
	LentAt           *time.Time `json:"lent_at,omitempty"`
	Due              *time.Time `json:"due,omitempty"`
	ReturnedAt       *time.Time `json:"returned_at,omitempty"`
	FiledAt          *time.Time `json:"filed_at,omitempty"`
	// A complaint's communication record (R-C6).
	ComplaintID string `json:"complaint_id,omitempty"`
	Entry       int    `json:"entry,omitempty"`
	RecordKind  string `json:"record_kind,omitempty"` // communication, return_visit, supervisor_contact
	Channel     string `json:"channel,omitempty"`
	Note        string `json:"note,omitempty"`
}

// Archives projects archive streams.
var Archives = StreamModel[Archive]{Index: ArchivesIndex, Prefix: archive.StreamPrefix, Decode: archive.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "household": Keyword, "status": Keyword, "borrower": Keyword,
		"signed_by": Keyword, "accountable": Keyword, "missing": Keyword, "purpose": Text, "loss_reason": Text,
		"opened_at": Date, "last_check_at": Date, "checks": Number, "loans": Number, "last_check_matches": Bool,
		ArchiveFieldCheckDueBy: Date, "checked_quarters": Keyword, "missed_quarters": Keyword, "missed_months": Keyword,
		"checks_missed": Number,
	},
	Fold: func(d *Archive, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case archive.Opened:
			*d = Archive{ID: id, Project: p.Project, District: p.District, Household: p.Household, Catalogue: []ArchiveEntry{},
				Status: "in", OpenedAt: p.At, CheckedQuarters: []string{}, MissedQuarters: []string{}, MissedMonths: []string{}}
			d.dueCheck()
		case archive.DocumentAdded:
			d.Catalogue = append(d.Catalogue, ArchiveEntry{Document: p.Document, Kind: p.Kind})
		case archive.KeyLoanFormFiled:
			lent, due, at := p.LentAt, p.Due, p.At
			d.Catalogue = append(d.Catalogue, ArchiveEntry{Document: p.Document, Kind: archive.KeyLoanFormKind, KeyID: p.KeyID,
				Loan: p.Loan, Stage: p.Stage, Borrower: p.Borrower, AuthorisationRef: p.AuthorisationRef,
				LentAt: &lent, Due: &due, ReturnedAt: p.ReturnedAt, FiledAt: &at})
		case archive.ComplaintRecordFiled:
			at := p.At
			d.Catalogue = append(d.Catalogue, ArchiveEntry{Document: p.Document, Kind: archive.ComplaintRecordKind,
				ComplaintID: p.ComplaintID, Entry: p.Entry, RecordKind: p.Kind, Channel: p.Channel, Note: p.Note, FiledAt: &at})
		case archive.LoanRequested:
			d.Status, d.Borrower, d.Purpose, d.SignedBy = "loan_requested", p.Borrower, p.Purpose, ""
		case archive.LoanSigned:
			d.Status, d.SignedBy = "on_loan", p.SignedBy
			d.Loans++
		case archive.Returned:
			d.Status = "in"
		case archive.CatalogueChecked:
			t := p.At
			d.Checks++
			d.LastCheckAt, d.LastCheckMatches, d.Missing = &t, p.Matches, p.Missing
			if q := archive.Quarter(p.At); !slices.Contains(d.CheckedQuarters, q) {
				d.CheckedQuarters = append(d.CheckedQuarters, q)
			}
			d.dueCheck()
		case archive.CheckMissed:
			d.MissedQuarters = append(d.MissedQuarters, p.Quarter)
			d.MissedMonths = append(d.MissedMonths, archive.QuarterLastMonth(p.DueBy.Add(-time.Second)))
			d.ChecksMissed++
			d.dueCheck()
		case archive.Lost:
			d.Status, d.Accountable, d.LossReason = "lost", p.Accountable, p.Reason
			d.dueCheck()
		}
	},
}

// ArchiveAccess is one read of an owner's personal data (R-D3).
type ArchiveAccess struct {
	ID        string    `json:"id"`
	Project   string    `json:"project"`
	District  string    `json:"district"`
	ArchiveID string    `json:"archive_id"`
	Household string    `json:"household"`
	Reader    string    `json:"reader"`
	Role      string    `json:"role"`
	What      string    `json:"what"`
	Month     string    `json:"month"`
	At        time.Time `json:"at"`
}

// ArchiveAccessLog projects the access streams: one document per read.
type ArchiveAccessLog struct{}

func (ArchiveAccessLog) Name() string { return ArchiveAccessIndex }
func (ArchiveAccessLog) Schema() Schema {
	return Schema{Name: ArchiveAccessIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "archive_id": Keyword, "household": Keyword,
		"reader": Keyword, "role": Keyword, "what": Keyword, "month": Keyword, "at": Date,
	}}
}

func (ArchiveAccessLog) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	if !strings.HasPrefix(e.Stream, archive.AccessStreamPrefix) {
		return nil
	}
	p, err := archive.Decode(e.Type, e.Data)
	if err != nil {
		return err
	}
	acc, ok := p.(archive.Accessed)
	if !ok {
		return nil
	}
	id := fmt.Sprintf("%s@%d", e.Stream, e.Revision)
	if _, found, err := docs.Get(ctx, id); err != nil || found {
		return err
	}
	src, err := json.Marshal(ArchiveAccess{ID: id, Project: e.Meta.Project, District: e.Meta.District, ArchiveID: acc.ArchiveID,
		Household: acc.Household, Reader: acc.Reader, Role: acc.Role, What: acc.What, Month: localtime.Month(acc.At), At: acc.At})
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: e.Revision, Source: src})
	return nil
}
