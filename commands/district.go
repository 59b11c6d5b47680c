package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/district"
	"github.com/butler-pm/butler/domain/event"
)

// districtRegisterRoles register a project's districts.
var districtRegisterRoles = []string{RoleProjectManager}

// districtCodes are the stable error codes of the register.
var districtCodes = map[error]string{
	district.ErrCode:       "invalid_district",
	district.ErrName:       "district_name_missing",
	district.ErrRegistered: "district_registered",
}

// DistrictHandlers are the district register's command handlers.
type DistrictHandlers struct {
	Register RegisterDistrictHandler
}

func newDistrictHandlers(d handlerDeps) DistrictHandlers {
	return DistrictHandlers{Register: RegisterDistrictHandler{d}}
}

// RegisterDistrict adds a district to the caller's project.
type RegisterDistrict struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type RegisterDistrictHandler struct{ d handlerDeps }

func (h RegisterDistrictHandler) Handle(ctx context.Context, m Meta, cmd RegisterDistrict) (Result, error) {
	if err := requireRole(m.Principal, districtRegisterRoles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	reg, expected, err := h.d.districts(ctx, project)
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	if err := reg.Add(cmd.Code, cmd.Name, now); err != nil {
		if errors.Is(err, district.ErrRegistered) {
			return Result{}, apperr.Errorf(apperr.Conflict, "district_registered", "district %s is registered already", strings.TrimSpace(cmd.Code))
		}
		return Result{}, domainError(err, districtCodes)
	}
	rev, err := h.d.appendChanges(ctx, district.Stream(project), expected, m.Principal.Actor(), project, "", m.chain(), now, reg.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: strings.TrimSpace(cmd.Code), Revision: rev}, nil
}

// districts loads a project's register and the expected revision that
// appends to it (NoStream while the project has none).
func (d handlerDeps) districts(ctx context.Context, project string) (*district.Register, event.ExpectedRevision, error) {
	reg := district.New(project)
	all, err := event.ReadStreamWhole(ctx, d.store, district.Stream(project), readPage)
	if errors.Is(err, event.ErrStreamNotFound) {
		return reg, event.NoStream(), nil
	}
	if err != nil {
		return nil, event.Any(), err
	}
	for _, e := range all {
		p, err := district.Decode(e.Type, e.Data)
		if err != nil {
			return nil, event.Any(), err
		}
		reg.Apply(p)
	}
	return reg, event.Exact(all[len(all)-1].Revision), nil
}

// Districts lists a project's registered districts (code → name), in
// registration order; none while the project has no register.
func (h *Handlers) Districts(ctx context.Context, project string) ([]RegisteredDistrict, error) {
	reg, _, err := h.deps.districts(ctx, project)
	if err != nil {
		return nil, err
	}
	out := []RegisteredDistrict{}
	for _, c := range reg.Codes() {
		out = append(out, RegisteredDistrict{Code: c, Name: reg.Name(c)})
	}
	return out, nil
}

// RegisteredDistrict is one district of the register.
type RegisteredDistrict struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// checkDistrict refuses a district code a record may not be placed in: a
// malformed one always, and one the project's register does not hold once
// the project has a register.
func (d handlerDeps) checkDistrict(ctx context.Context, project, code string) error {
	if !district.ValidCode(code) {
		return apperr.Invalid(map[string]string{"district": district.ErrCode.Error()})
	}
	reg, _, err := d.districts(ctx, project)
	if err != nil {
		return err
	}
	if codes := reg.Codes(); len(codes) > 0 && !reg.Has(code) {
		return apperr.Errorf(apperr.Unprocessable, "unknown_district",
			"district %s is not one of project %s's districts (%s); a project manager registers districts at POST /api/v1/districts",
			code, project, strings.Join(codes, ", "))
	}
	return nil
}
