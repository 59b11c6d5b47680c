// Package archive is owner archives (顾客档案, R-D1…R-D3): one archive per
// household with a catalogue of its documents (key loan forms among them,
// R-K5), kept by the designated
// archivist; a loan needs the project manager's signature before the
// archive leaves, and is closed by its return; the catalogue is checked
// against the contents; a lost archive names who is accountable.
//
// Streams: archive-<id> (Archive) and archiveaccess-<id> (Access: who
// read the owner's personal data, R-D3). The access log is a stream of
// its own so that reading never races with the archive's own changes.
package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// Stored event type names.
const (
	// TypeOpened carried the owner's name and phone in plain text (before
	// households); it is decoded as Opened without them, never recorded
	// any more.
	TypeOpened           = "archive.opened.v1"
	TypeOpenedV2         = "archive.opened.v2"
	TypeDocumentAdded    = "archive.document_added.v1"
	TypeLoanRequested    = "archive.loan_requested.v1"
	TypeLoanSigned       = "archive.loan_signed.v1"
	TypeReturned         = "archive.returned.v1"
	TypeCatalogueChecked = "archive.catalogue_checked.v1"
	TypeCheckMissed      = "archive.check_missed.v1"
	TypeLost             = "archive.lost.v1"
	TypeAccessed         = "archive.accessed.v1"
	// TypeKeyLoanFormFiled named the authorising owner in plain text
	// (before households); decoded, never recorded any more.
	TypeKeyLoanFormFiled = "archive.key_loan_form_filed.v1"
	// TypeKeyLoanFormFiledV2 carries the authorisation sealed, as the key's loan does.
	TypeKeyLoanFormFiledV2 = "archive.key_loan_form_filed.v2"
)

// KeyLoanFormKind is the catalogue kind of filed key loan forms (R-K5).
const KeyLoanFormKind = "key_loan_form"

// Opened: an archive for a household. The owner's personal data is the
// household's (domain/household), sealed there: none here.
type Opened struct {
	ArchiveID string    `json:"archive_id"`
	Project   string    `json:"project"`
	District  string    `json:"district"`
	Household string    `json:"household"`
	At        time.Time `json:"at"`
}

// DocumentAdded: a document entered in the catalogue.
type DocumentAdded struct {
	Document string    `json:"document"`
	Kind     string    `json:"kind"`
	At       time.Time `json:"at"`
}

// LoanRequested: someone asks to borrow the archive.
type LoanRequested struct {
	Borrower string    `json:"borrower"`
	Purpose  string    `json:"purpose"`
	At       time.Time `json:"at"`
}

// LoanSigned: the project manager signed the loan; the archive is out (R-D1).
type LoanSigned struct {
	SignedBy string    `json:"signed_by"`
	At       time.Time `json:"at"`
}

// Returned: the archive came back.
type Returned struct {
	At time.Time `json:"at"`
}

// CatalogueChecked: the catalogue compared with the contents (R-D2).
type CatalogueChecked struct {
	Missing []string  `json:"missing"`
	Matches bool      `json:"matches"`
	At      time.Time `json:"at"`
}

// CheckMissed: a calendar quarter ended without a check of the archive's
// catalogue against its contents (R-D2). Recorded by the time rule, once
// per quarter, with the actor system.
type CheckMissed struct {
	Quarter string    `json:"quarter"` // 2026-Q3
	DueBy   time.Time `json:"due_by"`  // the quarter's end
	At      time.Time `json:"at"`
}

// Lost: the archive was lost; Accountable names who answers for it (R-D2).
type Lost struct {
	Accountable string    `json:"accountable"`
	Reason      string    `json:"reason"`
	At          time.Time `json:"at"`
}

// Accessed: someone read the owner's personal data (R-D3).
type Accessed struct {
	ArchiveID string    `json:"archive_id"`
	Household string    `json:"household"`
	Reader    string    `json:"reader"`
	Role      string    `json:"role"`
	What      string    `json:"what"`
	At        time.Time `json:"at"`
}

// KeyLoanFormFiled: a key loan form (钥匙借用单) entered in the catalogue
// of the owner's archive (R-K5): when the key went out (Stage "lent") and
// when it came back ("returned"). KeyID and Loan say which loan it is.
type KeyLoanFormFiled struct {
	Document string `json:"document"`
	KeyID    string `json:"key_id"`
	Tag      string `json:"tag,omitempty"`
	Loan     int    `json:"loan"`
	Stage    string `json:"stage"`
	Borrower string `json:"borrower"`
	// AuthorisedBy is v1's plain-text name: read models never copy it.
	AuthorisedBy string `json:"authorised_by,omitempty"`
	// Authorisation is the name sealed under the household's key (v2; nil
	// for a loan recorded before households).
	Authorisation    *household.Sealed `json:"authorisation,omitempty"`
	AuthorisationRef string            `json:"authorisation_ref"`
	LentAt           time.Time         `json:"lent_at"`
	Due              time.Time         `json:"due"`
	ReturnedAt       *time.Time        `json:"returned_at,omitempty"`
	At               time.Time         `json:"at"`
}

func (f KeyLoanFormFiled) EventType() string {
	if f.AuthorisedBy != "" && f.Authorisation == nil {
		return TypeKeyLoanFormFiled
	}
	return TypeKeyLoanFormFiledV2
}
func (Opened) EventType() string           { return TypeOpenedV2 }
func (DocumentAdded) EventType() string    { return TypeDocumentAdded }
func (LoanRequested) EventType() string    { return TypeLoanRequested }
func (LoanSigned) EventType() string       { return TypeLoanSigned }
func (Returned) EventType() string         { return TypeReturned }
func (CatalogueChecked) EventType() string { return TypeCatalogueChecked }
func (CheckMissed) EventType() string      { return TypeCheckMissed }
func (Lost) EventType() string             { return TypeLost }
func (Accessed) EventType() string         { return TypeAccessed }

// Decode turns a stored archive event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeOpened, TypeOpenedV2: // v1's owner and phone are dropped: upcast to v2
		return decode[Opened](eventType, data)
	case TypeDocumentAdded:
		return decode[DocumentAdded](eventType, data)
	case TypeLoanRequested:
		return decode[LoanRequested](eventType, data)
	case TypeLoanSigned:
		return decode[LoanSigned](eventType, data)
	case TypeReturned:
		return decode[Returned](eventType, data)
	case TypeCatalogueChecked:
		return decode[CatalogueChecked](eventType, data)
	case TypeCheckMissed:
		return decode[CheckMissed](eventType, data)
	case TypeLost:
		return decode[Lost](eventType, data)
	case TypeAccessed:
		return decode[Accessed](eventType, data)
	case TypeKeyLoanFormFiled, TypeKeyLoanFormFiledV2:
		return decode[KeyLoanFormFiled](eventType, data)
	case TypeComplaintRecordFiled:
		return decode[ComplaintRecordFiled](eventType, data)
	}
	return nil, fmt.Errorf("archive: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("archive: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotOpened          = errors.New("the archive has not been opened")
	ErrOpenIncomplete     = errors.New("an archive names the household and its owner")
	ErrDocumentIncomplete = errors.New("a catalogue entry names the document and its kind")
	ErrDuplicateDocument  = errors.New("the document is already in the catalogue")
	ErrLoanIncomplete     = errors.New("a loan names the borrower and the purpose")
	ErrOnLoan             = errors.New("the archive is out on loan")
	ErrLoanPending        = errors.New("a loan request is already waiting for the project manager's signature")
	ErrNoLoanRequest      = errors.New("there is no loan request to sign")
	ErrSignerNotManager   = errors.New("an archive loan is signed by the project manager")
	ErrNotOnLoan          = errors.New("the archive is not out on loan")
	ErrLost               = errors.New("the archive is lost")
	ErrAccountableMissing = errors.New("a lost archive names who is accountable and why")
	ErrUnknownDocument    = errors.New("a missing document must be one in the catalogue")
	ErrAccessIncomplete   = errors.New("an access record names the reader and what was read")
	ErrLoanFormIncomplete = errors.New("a key loan form names the key, the loan, the borrower, the owner who signed and the authorisation reference (R-K5)")
	ErrWrongHousehold     = errors.New("a key loan form goes into the archive of the key's own unit (R-K5)")
)

// Archive is one household's archive.
type Archive struct {
	id, project, district, household string
	catalogue                        map[string]bool
	requested, onLoan, lost          bool
	// R-D2: when it was opened, and the quarters accounted for (checked,
	// or recorded missed).
	openedAt  time.Time
	accounted map[string]bool

	changes []event.Payload
}

// Open records a new archive.
func Open(o Opened) (*Archive, error) {
	if blank(o.ArchiveID) || blank(o.Project) || blank(o.District) || blank(o.Household) {
		return nil, ErrOpenIncomplete
	}
	a := &Archive{}
	a.record(o)
	return a, nil
}

// FromHistory rebuilds an archive.
func FromHistory(history []event.Payload) (*Archive, error) {
	a := &Archive{}
	for _, p := range history {
		if err := a.apply(p); err != nil {
			return nil, err
		}
	}
	if a.id == "" {
		return nil, ErrNotOpened
	}
	return a, nil
}

// AddDocument enters a document in the catalogue.
func (a *Archive) AddDocument(document, kind string, now time.Time) error {
	if a.lost {
		return ErrLost
	}
	if blank(document) || blank(kind) {
		return ErrDocumentIncomplete
	}
	if a.catalogue[document] {
		return ErrDuplicateDocument
	}
	a.record(DocumentAdded{Document: document, Kind: kind, At: now})
	return nil
}

// KeyLoanForm is a key loan form to file (R-K5); Unit is the key's unit,
// which must be this archive's household.
type KeyLoanForm struct {
	KeyID, Tag, Unit string
	Loan             int
	Stage            string
	Borrower         string
	Authorisation    *household.Sealed // nil for a loan recorded before households
	AuthorisationRef string
	LentAt, Due      time.Time
	ReturnedAt       time.Time // zero at the lent stage
}

// KeyLoanFormDocument is the catalogue name of a loan form: one entry per
// loan and stage, so filing the same form twice is a duplicate.
func KeyLoanFormDocument(f KeyLoanForm) string {
	name := fmt.Sprintf("钥匙借用单 %s #%d", f.KeyID, f.Loan)
	if f.Tag != "" {
		name = fmt.Sprintf("钥匙借用单 %s（%s）#%d", f.Tag, f.KeyID, f.Loan)
	}
	if f.Stage == "returned" {
		name += " 归还"
	}
	return name
}

// FileKeyLoanForm enters a key loan form in the owner's archive (R-K5).
// A form already in the catalogue is ErrDuplicateDocument.
func (a *Archive) FileKeyLoanForm(f KeyLoanForm, now time.Time) error {
	if a.lost {
		return ErrLost
	}
	if blank(f.KeyID) || f.Loan < 1 || blank(f.Borrower) || blank(f.AuthorisationRef) ||
		(f.Stage != "lent" && f.Stage != "returned") || (f.Stage == "returned" && f.ReturnedAt.IsZero()) {
		return ErrLoanFormIncomplete
	}
	if strings.TrimSpace(f.Unit) != strings.TrimSpace(a.household) {
		return ErrWrongHousehold
	}
	doc := KeyLoanFormDocument(f)
	if a.catalogue[doc] {
		return ErrDuplicateDocument
	}
	e := KeyLoanFormFiled{Document: doc, KeyID: f.KeyID, Tag: f.Tag, Loan: f.Loan, Stage: f.Stage, Borrower: f.Borrower,
		Authorisation: f.Authorisation, AuthorisationRef: f.AuthorisationRef, LentAt: f.LentAt, Due: f.Due, At: now}
	if f.Stage == "returned" {
		r := f.ReturnedAt
		e.ReturnedAt = &r
	}
	a.record(e)
	return nil
}

// RequestLoan asks to borrow the archive.
func (a *Archive) RequestLoan(borrower, purpose string, now time.Time) error {
	if err := a.available(); err != nil {
		return err
	}
	if a.requested {
		return ErrLoanPending
	}
	if blank(borrower) || blank(purpose) {
		return ErrLoanIncomplete
	}
	a.record(LoanRequested{Borrower: borrower, Purpose: purpose, At: now})
	return nil
}

// SignLoan is the project manager's signature: the archive goes out (R-D1).
func (a *Archive) SignLoan(signer, role string, now time.Time) error {
	if role != "project_manager" {
		return ErrSignerNotManager
	}
	if err := a.available(); err != nil {
		return err
	}
	if !a.requested {
		return ErrNoLoanRequest
	}
	a.record(LoanSigned{SignedBy: signer, At: now})
	return nil
}

// Return closes the loan.
func (a *Archive) Return(now time.Time) error {
	if a.lost {
		return ErrLost
	}
	if !a.onLoan {
		return ErrNotOnLoan
	}
	a.record(Returned{At: now})
	return nil
}

// CheckCatalogue records a check of the catalogue against the contents (R-D2).
func (a *Archive) CheckCatalogue(missing []string, now time.Time) error {
	if a.lost {
		return ErrLost
	}
	if a.onLoan {
		return ErrOnLoan
	}
	for _, m := range missing {
		if !a.catalogue[m] {
			return fmt.Errorf("%w: %q", ErrUnknownDocument, m)
		}
	}
	if missing == nil {
		missing = []string{}
	}
	a.record(CatalogueChecked{Missing: missing, Matches: len(missing) == 0, At: now})
	return nil
}

// ReportLost records the loss and who is accountable (R-D2).
func (a *Archive) ReportLost(accountable, reason string, now time.Time) error {
	if a.lost {
		return ErrLost
	}
	if blank(accountable) || blank(reason) {
		return ErrAccountableMissing
	}
	a.record(Lost{Accountable: accountable, Reason: reason, At: now})
	return nil
}

// RecordMissedChecks records, once per quarter, each calendar quarter that
// ended by now without a check of the catalogue (R-D2). It reports
// whether it recorded anything. A lost archive is no longer checked.
func (a *Archive) RecordMissedChecks(now time.Time) bool {
	if a.lost {
		return false
	}
	recorded := false
	for q := firstCheckedQuarter(a.openedAt); !quarterEnd(q).After(now); q = q.AddDate(0, 3, 0) {
		name := Quarter(q)
		if a.accounted[name] {
			continue
		}
		a.record(CheckMissed{Quarter: name, DueBy: quarterEnd(q), At: now})
		recorded = true
	}
	return recorded
}

// Zone is the projects' calendar: quarters begin at midnight there.
var Zone = time.FixedZone("CST", 8*3600)

// Quarter names the calendar quarter of t in Zone: 2026-Q3.
func Quarter(t time.Time) string {
	t = t.In(Zone)
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// QuarterLastMonth is the last month of the quarter of t (2026-09 for
// 2026-Q3): the month a missed quarter's check is counted in.
func QuarterLastMonth(t time.Time) string {
	return quarterEnd(quarterStart(t)).Add(-time.Second).In(Zone).Format("2006-01")
}

func quarterStart(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, Zone)
}

func quarterEnd(start time.Time) time.Time { return start.AddDate(0, 3, 0) }

// firstCheckedQuarter is the start of the first quarter an archive opened
// at opened must be checked in: the first full quarter after its opening
// (the quarter it was opened in is when it was catalogued).
func firstCheckedQuarter(opened time.Time) time.Time { return quarterEnd(quarterStart(opened)) }

// CheckDueBy is when the archive's next check falls due (R-D2): the end
// of the first quarter since its opening quarter that is neither checked
// nor recorded missed. accounted holds those quarters' names.
func CheckDueBy(opened time.Time, accounted func(quarter string) bool) time.Time {
	q := firstCheckedQuarter(opened)
	for accounted(Quarter(q)) {
		q = q.AddDate(0, 3, 0)
	}
	return quarterEnd(q)
}

func (a *Archive) available() error {
	if a.lost {
		return ErrLost
	}
	if a.onLoan {
		return ErrOnLoan
	}
	return nil
}

func (a *Archive) ID() string               { return a.id }
func (a *Archive) Project() string          { return a.project }
func (a *Archive) District() string         { return a.district }
func (a *Archive) Household() string        { return a.household }
func (a *Archive) Changes() []event.Payload { return a.changes }

func (a *Archive) record(p event.Payload) {
	_ = a.apply(p)
	a.changes = append(a.changes, p)
}

func (a *Archive) apply(p event.Payload) error {
	switch e := p.(type) {
	case Opened:
		a.id, a.project, a.district, a.household, a.catalogue = e.ArchiveID, e.Project, e.District, e.Household, map[string]bool{}
		a.openedAt, a.accounted = e.At, map[string]bool{}
	case DocumentAdded:
		a.catalogue[e.Document] = true
	case KeyLoanFormFiled:
		a.catalogue[e.Document] = true
	case ComplaintRecordFiled:
		a.catalogue[e.Document] = true
	case LoanRequested:
		a.requested = true
	case LoanSigned:
		a.requested, a.onLoan = false, true
	case Returned:
		a.onLoan = false
	case CatalogueChecked:
		a.accounted[Quarter(e.At)] = true
	case CheckMissed:
		a.accounted[e.Quarter] = true
	case Lost:
		a.lost = true
	default:
		return fmt.Errorf("archive: cannot apply %T", p)
	}
	return nil
}

// RecordAccess builds the access record of one read (R-D3).
func RecordAccess(archiveID, household, reader, role, what string, now time.Time) (Accessed, error) {
	if blank(archiveID) || blank(reader) || blank(what) {
		return Accessed{}, ErrAccessIncomplete
	}
	return Accessed{ArchiveID: archiveID, Household: household, Reader: reader, Role: role, What: what, At: now}, nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
