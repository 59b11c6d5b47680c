package commands

import (
	"github.com/butler-pm/butler/domain/staff/quality"
)

var (
	supervisorPatrolRoles = []string{RoleSupervisor}
	spotCheckRoles        = []string{RoleSupervisor, RoleQuality}
)

// qualityCodes are the stable error codes of refused quality rules.
var qualityCodes = map[error]string{
	quality.ErrPatrolIncomplete: "patrol_incomplete",
	quality.ErrCheckIncomplete:  "check_incomplete",
	quality.ErrProblemMissing:   "problem_missing",
	quality.ErrNotChecked:       "spot_check_not_found",
	quality.ErrNothingToCorrect: "nothing_to_correct",
	quality.ErrAlreadyCorrected: "already_corrected",
	quality.ErrActionMissing:    "action_missing",
}
