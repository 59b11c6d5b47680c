package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
)

// IssueBill bills one unit's charges for a period (YYYY-MM), each item in
// integer fen. Butler is who collects it: a butler bills for themself;
// a supervisor or cashier names the butler and the district. Due is a date
// (its end, China time) or an RFC 3339 time.
type IssueBill struct {
	Unit     string     `json:"unit"`
	Period   string     `json:"period"`
	Items    []fee.Item `json:"items"`
	Due      string     `json:"due"`
	Butler   string     `json:"butler"`
	District string     `json:"district"`
}

type IssueBillHandler struct{ d handlerDeps }

func NewIssueBillHandler(store EventStore, clock Clock, ids IDGenerator) IssueBillHandler {
	return IssueBillHandler{newHandlerDeps(store, clock, ids)}
}

func (h IssueBillHandler) Handle(ctx context.Context, m Meta, cmd IssueBill) (Result, error) {
	butler := cmd.Butler
	if m.Principal.Role == RoleButler {
		butler = m.Principal.StaffID
	}
	bad := districtField(m.Principal, cmd.District, missing("unit", cmd.Unit, "period", cmd.Period, "due", cmd.Due, "butler", butler))
	due, ok := parseInstant(cmd.Due, chinaTime)
	if cmd.Due != "" && !ok {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["due"] = "a date (YYYY-MM-DD) or an RFC 3339 time"
	}
	if len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, feeBillRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	b, err := fee.Issue(id, fee.Spec{Project: project, District: district, Unit: cmd.Unit, Butler: butler, Period: cmd.Period, Items: cmd.Items, Due: due}, now)
	if err != nil {
		return Result{}, domainError(err, feeCodes)
	}
	rev, err := h.d.appendChanges(ctx, fee.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, b.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
