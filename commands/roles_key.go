package commands

// Who may run which key command (R-K1…R-K4). Only the designated custodian
// registers, lends, takes back and reconciles keys; the supervisor makes the
// weekly check; the project manager approves a loss report. Anyone who
// finds a key missing may report it.
//
//	command                custodian butler supervisor project_manager
//	key register               x
//	key lend                   x
//	key return                 x
//	key report loss            x        x        x           x
//	key approve loss                                         x
//	key reconcile (daily)      x
//	key supervisor check                         x
//	policies (overdue loan, missed reconciliation): system actor
var (
	keyCustodianRoles   = []string{RoleCustodian}
	keyReportLossRoles  = []string{RoleCustodian, RoleButler, RoleSupervisor, RoleProjectManager}
	keyApproveLossRoles = []string{RoleProjectManager}
	keySupervisorRoles  = []string{RoleSupervisor}
)
