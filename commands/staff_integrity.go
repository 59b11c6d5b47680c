package commands

import (
	"github.com/butler-pm/butler/domain/staff/integrity"
)

// IntegrityReaderRoles may read and handle integrity reports (R-S6: the
// administration/HR department, and nobody else).
var IntegrityReaderRoles = []string{RoleOperations}

// integrityCodes are the stable error codes of refused integrity rules.
var integrityCodes = map[error]string{
	integrity.ErrReportIncomplete: "report_incomplete",
	integrity.ErrUnknownKind:      "unknown_report_kind",
	integrity.ErrNotFiled:         "report_not_found",
	integrity.ErrAlreadyHandled:   "already_handled",
	integrity.ErrOutcomeMissing:   "outcome_missing",
}
