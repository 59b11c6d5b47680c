package commands

// Who may run which renovation command (R-R1…R-R6). The district butler
// files, checks the site, briefs, inspects daily and handles violations
// (the seed: 管家负责全程跟踪); approval is the supervisor's or project
// manager's; the acceptance inspection is engineering's (竣工验收); the
// supervisor checks records against the register twice a week.
//
//	command                          butler supervisor project_manager engineer
//	file, add document                 x        x
//	approve                                     x            x
//	site check, rules briefing         x        x
//	start, inspect, complete           x        x
//	violation record/rectify/close     x        x
//	acceptance inspection, fix finding                                    x
//	close (owner may move in)          x        x
//	register check                              x
//	policies (inspection missed, register checks short): system actor
var (
	renovationButlerRoles   = []string{RoleButler, RoleSupervisor}
	renovationApproveRoles  = []string{RoleSupervisor, RoleProjectManager}
	renovationEngineerRoles = []string{RoleEngineer}
	renovationRegisterRoles = []string{RoleSupervisor}
)
