package commands

import (
	"github.com/butler-pm/butler/domain/event"
)

// Roles, as in DOMAIN.md.
const (
	RoleButler         = "butler"
	RoleSupervisor     = "supervisor"
	RoleProjectManager = "project_manager"
	RoleCashier        = "cashier"
	RoleCustodian      = "custodian"
	RoleArchivist      = "archivist"
	RoleEngineer       = "engineer"
	RoleCleaner        = "cleaner"
	RoleOperator       = "operator"
	RoleOperations     = "operations"
	RoleQuality        = "quality"
	RoleAuditor        = "auditor"
	RoleAnalyst        = "analyst"
)

// Roles lists every role a token may carry.
var Roles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleCashier, RoleCustodian,
	RoleArchivist, RoleEngineer, RoleCleaner, RoleOperator, RoleOperations, RoleQuality, RoleAuditor, RoleAnalyst}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Principal is the authenticated caller, from a bearer token.
type Principal struct {
	StaffID  string `json:"staff_id"`
	Role     string `json:"role"`
	Project  string `json:"project"`
	District string `json:"district"`
}

// Actor is the principal as recorded on events.
func (p Principal) Actor() event.Actor { return event.Actor{StaffID: p.StaffID, Role: p.Role} }

// ProjectWide reports whether the principal acts across the whole project
// rather than in one district: supervisors and project managers, the
// project's shared services (engineering, command centre, cashier, key and
// archive keepers) and the read-only and company roles. Butlers and
// cleaners work in one district.
func (p Principal) ProjectWide() bool {
	switch p.Role {
	case RoleSupervisor, RoleProjectManager, RoleAuditor, RoleAnalyst, RoleOperations, RoleQuality,
		RoleEngineer, RoleOperator, RoleCashier, RoleCustodian, RoleArchivist:
		return true
	}
	return false
}

// CanAct reports whether the principal may act on a record of project and district.
func (p Principal) CanAct(project, district string) bool {
	if p.Project != project {
		return false
	}
	return p.ProjectWide() || p.District == district
}

// HasRole reports whether the principal has one of roles.
func (p Principal) HasRole(roles ...string) bool {
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// Meta is what every command carries besides its own fields.
//
// CorrelationID names the chain of work the command belongs to: the
// request's X-Correlation-ID (or its request id) for a command from HTTP,
// the causing event's correlation id for a command issued because of an
// event. CausationID is the id of the event that caused the command; empty
// for a command caused by a request, whose events then carry the
// correlation id as their causation id (the request is the first link of
// its chain). Empty both: a new chain, with a fresh id.
type Meta struct {
	Principal     Principal
	CorrelationID string
	CausationID   string
	// IfMatch, when set, is the stream revision the caller last saw; a
	// different current revision is a conflict (HTTP 412) and changes nothing.
	IfMatch *uint64
}

// causedBy is m for a command issued because of the event e: it joins e's
// chain and names e as its cause.
func (m Meta) causedBy(e eventRef) Meta {
	m.CorrelationID, m.CausationID = e.correlationID, e.id
	return m
}

// chain is what the events of m's command record about why they happened.
func (m Meta) chain() chain { return chain{correlationID: m.CorrelationID, causationID: m.CausationID} }
