package commands

// Archive roles (R-D1…R-D3): the designated archivist keeps archives;
// the project manager signs loans and may report a loss; personal data
// is read by those who serve the owner and by auditors, each read logged.
//
//	command                          archivist project_manager supervisor butler auditor
//	open, catalogue, request, return     x
//	sign a loan                                      x
//	catalogue check                      x                        x
//	report lost                          x           x
//	read personal data (logged)          x           x            x         x*     x
//
// * a butler reads archives of their own district only.
var (
	archiveKeeperRoles = []string{RoleArchivist}
	archiveSignRoles   = []string{RoleProjectManager}
	archiveCheckRoles  = []string{RoleArchivist, RoleSupervisor}
	archiveLossRoles   = []string{RoleArchivist, RoleProjectManager}
	archiveReadRoles   = []string{RoleArchivist, RoleProjectManager, RoleSupervisor, RoleButler, RoleAuditor}
	// ArchiveAuditRoles may read the access log (R-D3).
	ArchiveAuditRoles = []string{RoleAuditor, RoleProjectManager}
)
