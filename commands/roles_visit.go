package commands

// Visit roles (R-H1…R-H5):
//
//	command                               butler supervisor project_manager
//	visit plan                              x        x
//	visit record, opinions, warning         x        x            x
//	key-client visit                                 x  (the domain checks)
//	misfortune, satisfy a return visit      x        x            x
//	policies (open due, overdue)          system actor
var (
	visitPlanRoles = []string{RoleButler, RoleSupervisor}
	visitRoles     = []string{RoleButler, RoleSupervisor, RoleProjectManager}
)
