package commands

// Who may run which complaint, work-order and rainy-day command, from
// DOMAIN.md and the seed (the butler 录入信息系统: registers, dispatches,
// records handling and follow-up, makes the return visit; engineers repair;
// supervisors handle important complaints; the project manager receives
// what supervisors cannot handle). Scope (project/district) is checked
// separately with Principal.CanAct.
//
//	command                      butler supervisor project_manager operator engineer
//	complaint register             x        x            x             x
//	complaint dispatch             x        x            x
//	complaint follow-up            x        x            x
//	complaint explain-delay        x        x            x
//	complaint resolve              x        x            x
//	complaint return-visit         x        x            x
//	complaint close                x        x            x
//	complaint escalate             x*       x
//	complaint flag-risk            x        x            x
//	work order register            x        x            x             x
//	work order dispatch            x        x            x             x
//	work order start               x        x                                   x
//	work order follow-up           x        x            x                      x
//	work order complete            x        x                                   x
//	work order confirm (owner)     x        x                                   x
//	work order return-visit        x        x            x
//	work order close               x        x            x
//	rainy day record               x        x            x             x
//	policies (SLA, overdue)        system actor, no principal checks
//
// * a butler escalates to the supervisor; only a supervisor escalates on
// to the project manager (R-C5).
var (
	complaintRegisterRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}
	complaintHandleRoles   = []string{RoleButler, RoleSupervisor, RoleProjectManager}
	complaintEscalateRoles = []string{RoleButler, RoleSupervisor}
	complaintToPMRoles     = []string{RoleSupervisor}

	workOrderIntakeRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}
	workOrderRepairRoles = []string{RoleButler, RoleSupervisor, RoleEngineer}
	workOrderFollowRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleEngineer}
	workOrderVisitRoles  = []string{RoleButler, RoleSupervisor, RoleProjectManager}

	rainyDayRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}
)
