package commands

// Vacant-unit and patrol roles (R-V1…R-V4):
//
//	command                               butler supervisor cleaner engineer
//	vacant unit register / occupy           x        x
//	monthly service, weather service        x        x         x
//	finding, contractor, close              x        x                  x
//	patrol record, finding → work order     x        x
//	month-end misses                      system actor
var (
	vacantRegisterRoles = []string{RoleButler, RoleSupervisor}
	vacantServiceRoles  = []string{RoleButler, RoleSupervisor, RoleCleaner}
	vacantFindingRoles  = []string{RoleButler, RoleSupervisor, RoleEngineer}
	patrolRoles         = []string{RoleButler, RoleSupervisor}
)
