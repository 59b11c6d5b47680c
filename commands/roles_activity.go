package commands

// Activity roles (R-A1…R-A4):
//
//	command                              butler supervisor project_manager operations quality
//	plan survey, draft                              x            x              x
//	plan approval                                                               x
//	propose, hold, survey, summarise       x        x            x              x
//	approve a proposal                                                          x          x
var (
	activityPlanRoles    = []string{RoleSupervisor, RoleProjectManager, RoleOperations}
	activityApproveRoles = []string{RoleOperations, RoleQuality}
	activityRoles        = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperations}
)
