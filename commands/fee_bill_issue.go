package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
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
	return createRecord(ctx, h.d, m, cmd.District, fee.Stream, feeCodes, func(r newRecord) (changer, error) {
		return fee.Issue(r.ID, fee.Spec{Project: r.Project, District: r.District, Unit: cmd.Unit, Butler: butler, Period: cmd.Period, Items: cmd.Items, Due: due}, r.Now)
	})
}
