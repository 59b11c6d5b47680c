package commands

import (
	"context"
	"regexp"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/visit"
)

var monthFormat = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// PlanVisits records a butler's monthly visit plan (R-H1). The district's
// household count is taken from its register of units (its occupied
// units), and the plan keeps the number it was checked against; the
// households planned must be registered, occupied units. Butler defaults
// to the caller; a supervisor names the butler and the district.
type PlanVisits struct {
	Month      string   `json:"month"`
	Households []string `json:"households"`
	// DistrictHouseholds was the caller's count before the register of
	// units; a count given now is refused (the caller cannot set the
	// denominator of their own 8%).
	DistrictHouseholds int    `json:"district_households,omitempty"`
	Butler             string `json:"butler,omitempty"`
	District           string `json:"district,omitempty"`
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
	if cmd.DistrictHouseholds != 0 {
		// R-H1: the count is the register's, never the caller's.
		bad["district_households"] = "leave it out: the district's household count is taken from its register of units (GET /api/v1/units)"
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
		units, err := h.d.unitRegisterView(ctx, r.Project, r.District)
		if err != nil {
			return nil, err
		}
		return visit.NewPlan(r.ID, r.Project, r.District, butler, cmd.Month, cmd.Households, units, r.Now)
	})
}
