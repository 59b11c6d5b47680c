package commands

// Who may run which staff, command-centre, visit and vacant-unit command
// (DOMAIN.md roles; scope is checked separately with Principal.CanAct).
//
//	command                              butler supervisor project_manager operator operations quality
//	staff register                                  x             x                      x
//	staff training / assessment                     x                                    x          x
//	staff behaviour check (R-S1)                    x                                               x
//	staff one-to-one (R-S4)                         x
//	staff reward / penalty (R-S5)                   x             x                      x
//	shift open/log/handle/hand over/close                                         x
//	emergency report / step / close                 x             x               x
//	drill, hand-over check (R-N2, R-N3)             x             x               x
var (
	staffRegisterRoles  = []string{RoleSupervisor, RoleProjectManager, RoleOperations}
	staffTrainingRoles  = []string{RoleSupervisor, RoleOperations, RoleQuality}
	staffBehaviourRoles = []string{RoleSupervisor, RoleQuality}
	staffOneToOneRoles  = []string{RoleSupervisor}
	staffSanctionRoles  = []string{RoleSupervisor, RoleProjectManager, RoleOperations}

	shiftRoles      = []string{RoleOperator}
	emergencyRoles  = []string{RoleOperator, RoleSupervisor, RoleProjectManager}
	ccRegisterRoles = []string{RoleOperator, RoleSupervisor, RoleProjectManager}
)
