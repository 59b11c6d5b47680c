package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
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
	// RecordMissedChecks is R-D2's time rule (system actor).
	RecordMissedChecks RecordMissedArchiveChecksHandler
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

		RecordMissedChecks: RecordMissedArchiveChecksHandler{d},
	}
}
