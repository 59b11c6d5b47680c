package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
)

// Archive roles (R-D1…R-D3): the designated archivist keeps archives;
// the project manager signs loans and may report a loss; personal data
// is read by those who serve the owner and by auditors, each read logged.
//
//	command                          archivist project_manager supervisor butler auditor
//	open, catalogue, request, return     x
//	sign a loan                                      x
//	catalogue check                      x                        x
//	report lost                          x           x
//	read personal data (logged)          x           x            x         x*     x
//
// * a butler reads archives of their own district only.
var (
	archiveKeeperRoles = []string{RoleArchivist}
	archiveSignRoles   = []string{RoleProjectManager}
	archiveCheckRoles  = []string{RoleArchivist, RoleSupervisor}
	archiveLossRoles   = []string{RoleArchivist, RoleProjectManager}
	archiveReadRoles   = []string{RoleArchivist, RoleProjectManager, RoleSupervisor, RoleButler, RoleAuditor}
	// ArchiveAuditRoles may read the access log (R-D3).
	ArchiveAuditRoles = []string{RoleAuditor, RoleProjectManager}
)

// archiveCodes are the stable error codes of refused archive rules.
var archiveCodes = map[error]string{
	archive.ErrNotOpened:          "archive_not_opened",
	archive.ErrOpenIncomplete:     "open_incomplete",
	archive.ErrDocumentIncomplete: "document_incomplete",
	archive.ErrDuplicateDocument:  "duplicate_document",
	archive.ErrLoanIncomplete:     "loan_incomplete",
	archive.ErrOnLoan:             "on_loan",
	archive.ErrLoanPending:        "loan_pending",
	archive.ErrNoLoanRequest:      "no_loan_request",
	archive.ErrSignerNotManager:   "signer_not_manager",
	archive.ErrNotOnLoan:          "not_on_loan",
	archive.ErrLost:               "archive_lost",
	archive.ErrAccountableMissing: "accountable_missing",
	archive.ErrUnknownDocument:    "unknown_document",
	archive.ErrAccessIncomplete:   "access_incomplete",
	archive.ErrLoanFormIncomplete: "loan_form_incomplete",
	archive.ErrWrongHousehold:     "wrong_household",
}

// OpenArchive opens a household's archive (R-D1: by the archivist).
type OpenArchive struct {
	Household string `json:"household"`
	Owner     string `json:"owner"`
	Phone     string `json:"phone,omitempty"`
	District  string `json:"district,omitempty"`
}

type OpenArchiveHandler struct{ d handlerDeps }

func NewOpenArchiveHandler(store EventStore, clock Clock, ids IDGenerator) OpenArchiveHandler {
	return OpenArchiveHandler{newHandlerDeps(store, clock, ids)}
}

func (h OpenArchiveHandler) Handle(ctx context.Context, m Meta, cmd OpenArchive) (Result, error) {
	bad := missing("household", cmd.Household, "owner", cmd.Owner)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, archiveKeeperRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	a, err := archive.Open(archive.Opened{ArchiveID: id, Project: project, District: district, Household: cmd.Household,
		Owner: cmd.Owner, Phone: cmd.Phone, At: now})
	if err != nil {
		return Result{}, domainError(err, archiveCodes)
	}
	rev, err := h.d.appendChanges(ctx, archive.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, a.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// updateArchive runs one domain method on an existing archive.
func updateArchive(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(a *archive.Archive, now time.Time) error) (Result, error) {
	if bad := missing("archive_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, archive.Stream(id), roles, archive.Decode, archive.FromHistory, archiveCodes, act)
}

// ArchivePersonalData is what a logged read of an archive returns.
type ArchivePersonalData struct {
	ArchiveID string `json:"archive_id"`
	Household string `json:"household"`
	Owner     string `json:"owner"`
	Phone     string `json:"phone,omitempty"`
}

// ReadArchive reads an owner's personal data and records who read it
// (R-D3). The access record is written before the data is returned: if
// it cannot be written, nothing is read.
type ReadArchive struct {
	ArchiveID string
	// What names what was read ("detail", "history"); default "detail".
	What string
}

type ReadArchiveHandler struct{ d handlerDeps }

func NewReadArchiveHandler(store EventStore, clock Clock, ids IDGenerator) ReadArchiveHandler {
	return ReadArchiveHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReadArchiveHandler) Handle(ctx context.Context, m Meta, cmd ReadArchive) (ArchivePersonalData, error) {
	if err := requireRole(m.Principal, archiveReadRoles...); err != nil {
		return ArchivePersonalData{}, err
	}
	hist, err := h.d.readHistory(ctx, archive.Stream(cmd.ArchiveID), archive.Decode)
	if err != nil {
		return ArchivePersonalData{}, err
	}
	if !hist.exists {
		return ArchivePersonalData{}, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s", cmd.ArchiveID)
	}
	var out ArchivePersonalData
	var project, district string
	for _, p := range hist.payloads {
		if o, ok := p.(archive.Opened); ok {
			out = ArchivePersonalData{ArchiveID: o.ArchiveID, Household: o.Household, Owner: o.Owner, Phone: o.Phone}
			project, district = o.Project, o.District
		}
	}
	if !m.Principal.CanAct(project, district) {
		// Out of scope reads as absent, like every other record.
		return ArchivePersonalData{}, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s", cmd.ArchiveID)
	}
	now := h.d.clock.Now()
	what := cmd.What
	if what == "" {
		what = "detail"
	}
	acc, err := archive.RecordAccess(cmd.ArchiveID, out.Household, m.Principal.StaffID, m.Principal.Role, what, now)
	if err != nil {
		return ArchivePersonalData{}, domainError(err, archiveCodes)
	}
	// Reads never conflict with each other: any revision is fine.
	if _, err := h.d.appendChanges(ctx, archive.AccessStream(cmd.ArchiveID), event.Any(), m.Principal.Actor(), project, district,
		m.CorrelationID, now, []event.Payload{acc}); err != nil {
		return ArchivePersonalData{}, err
	}
	return out, nil
}

// ArchiveHandlers are the archive module's command handlers.
type ArchiveHandlers struct {
	Open        OpenArchiveHandler
	AddDocument AddArchiveDocumentHandler
	RequestLoan RequestArchiveLoanHandler
	SignLoan    SignArchiveLoanHandler
	Return      ReturnArchiveHandler
	Check       CheckArchiveHandler
	ReportLost  ReportArchiveLostHandler
	Read        ReadArchiveHandler
}

func newArchiveHandlers(d handlerDeps) ArchiveHandlers {
	return ArchiveHandlers{
		Open:        OpenArchiveHandler{d},
		AddDocument: NewAddArchiveDocumentHandler(d.store, d.clock, d.ids),
		RequestLoan: NewRequestArchiveLoanHandler(d.store, d.clock, d.ids),
		SignLoan:    SignArchiveLoanHandler{d},
		Return:      ReturnArchiveHandler{d},
		Check:       CheckArchiveHandler{d},
		ReportLost:  ReportArchiveLostHandler{d},
		Read:        ReadArchiveHandler{d},
	}
}
