package commands

// Who may run which move-in command (R-M1…R-M3). The district butler takes
// the owner through the steps; the cashier may record the fees collected;
// defects are handed to the developer and tracked by the butler,
// supervisor or engineering.
//
//	command                      butler supervisor cashier engineer
//	open, steps, occupancy         x        x
//	fees collected                 x        x         x
//	defect hand-over / resolve     x        x                  x
var (
	moveInRoles       = []string{RoleButler, RoleSupervisor}
	moveInFeeRoles    = []string{RoleButler, RoleSupervisor, RoleCashier}
	moveInDefectRoles = []string{RoleButler, RoleSupervisor, RoleEngineer}
)
