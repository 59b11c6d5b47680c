package commands

import (
	"context"
	"regexp"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/visit"
)

var monthFormat = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// PlanVisits records a butler's monthly visit plan (R-H1). The command
// carries the district's household count (DistrictHouseholds): there is
// no household register, and the plan keeps the number it was checked
// against. Butler defaults to the caller; a supervisor names the butler
// and the district.
type PlanVisits struct {
	Month              string   `json:"month"`
	Households         []string `json:"households"`
	DistrictHouseholds int      `json:"district_households"`
	Butler             string   `json:"butler,omitempty"`
	District           string   `json:"district,omitempty"`
}

type PlanVisitsHandler struct{ d handlerDeps }

func NewPlanVisitsHandler(store EventStore, clock Clock, ids IDGenerator) PlanVisitsHandler {
	return PlanVisitsHandler{newHandlerDeps(store, clock, ids)}
}

func (h PlanVisitsHandler) Handle(ctx context.Context, m Meta, cmd PlanVisits) (Result, error) {
	bad := map[string]string{}
	if !monthFormat.MatchString(cmd.Month) {
		bad["month"] = "a month as YYYY-MM"
	}
	if len(cmd.Households) == 0 {
		bad["households"] = "required"
	}
	if cmd.DistrictHouseholds <= 0 {
		bad["district_households"] = "the district's household count, above 0"
	}
	butler := m.Principal.StaffID
	if m.Principal.Role != RoleButler {
		butler = cmd.Butler
		if butler == "" {
			bad["butler"] = "required when a supervisor plans for a butler"
		}
	}
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, visitPlanRoles...); err != nil {
		return Result{}, err
	}
	return createRecord(ctx, h.d, m, cmd.District, visit.PlanStream, visitCodes, func(r newRecord) (changer, error) {
		return visit.NewPlan(r.ID, r.Project, r.District, butler, cmd.Month, cmd.Households, cmd.DistrictHouseholds, r.Now)
	})
}
