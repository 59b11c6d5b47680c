package commands

import (
	"github.com/butler-pm/butler/domain/patrol"
)

// patrolCodes are the stable error codes of refused patrol rules.
var patrolCodes = map[error]string{
	patrol.ErrNotRecorded:      "patrol_not_recorded",
	patrol.ErrPatrolIncomplete: "patrol_incomplete",
	patrol.ErrUnknownFinding:   "unknown_finding",
	patrol.ErrAlreadyReported:  "finding_already_reported",
	patrol.ErrWorkOrderMissing: "work_order_missing",
}
