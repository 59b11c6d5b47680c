package commands

import (
	"context"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/unit"
)

// The register of units and households (R-H1, R-H7): who keeps it.
//
//	command                               supervisor project_manager
//	register units, set a unit's status       x            x
//	mark / unmark a key client                x            x
//
// Butlers do not keep it: their 8% visit plan is measured against it
// (R-H1), so the count is not theirs to set.
var unitRegisterRoles = []string{RoleSupervisor, RoleProjectManager}

// unitCodes are the stable error codes of refused register rules.
var unitCodes = map[error]string{
	unit.ErrNoUnits:        "units_missing",
	unit.ErrBatchTooLarge:  "too_many_units",
	unit.ErrUnitCode:       "invalid_unit",
	unit.ErrBuilding:       "building_missing",
	unit.ErrStatus:         "invalid_unit_status",
	unit.ErrDuplicate:      "duplicate_unit",
	unit.ErrUnknownUnit:    "unknown_unit",
	unit.ErrStatusSame:     "unit_status_unchanged",
	unit.ErrReasonMissing:  "reason_missing",
	unit.ErrKeyClient:      "already_key_client",
	unit.ErrNotAKeyClient:  "not_a_key_client",
	unit.ErrDistrictNeeded: "district_missing",
}

// UnitHandlers are the unit register's command handlers.
type UnitHandlers struct {
	Register        RegisterUnitsHandler
	SetStatus       SetUnitStatusHandler
	MarkKeyClient   MarkKeyClientHandler
	UnmarkKeyClient UnmarkKeyClientHandler
}

func newUnitHandlers(d handlerDeps) UnitHandlers {
	return UnitHandlers{Register: RegisterUnitsHandler{d}, SetStatus: SetUnitStatusHandler{d},
		MarkKeyClient: MarkKeyClientHandler{d}, UnmarkKeyClient: UnmarkKeyClientHandler{d}}
}

// unitRegister loads a district's register and the expected revision that
// appends to it (NoStream while the district has none).
func (d handlerDeps) unitRegister(ctx context.Context, project, district string) (*unit.Register, event.ExpectedRevision, uint64, error) {
	hist, err := d.readHistory(ctx, unit.Stream(project, district), unit.Decode)
	if err != nil {
		return nil, event.Any(), 0, err
	}
	r := unit.New(project, district)
	for _, p := range hist.payloads {
		r.Apply(p)
	}
	if !hist.exists {
		return r, event.NoStream(), 0, nil
	}
	return r, event.Exact(hist.revision), hist.revision, nil
}

// changeUnits runs one register method on the district's register: role,
// district, load, If-Match, the method, append at the loaded revision. The
// result's id is id (the unit, or the district for a registration).
func changeUnits(ctx context.Context, d handlerDeps, m Meta, district string, bad map[string]string, id func(district string) string,
	act func(r *unit.Register, now time.Time) error) (Result, error) {
	if err := requireRole(m.Principal, unitRegisterRoles...); err != nil {
		return Result{}, err
	}
	if bad = districtField(m.Principal, district, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	project, district, err := d.registrationScope(ctx, m.Principal, district)
	if err != nil {
		return Result{}, err
	}
	reg, expected, rev, err := d.unitRegister(ctx, project, district)
	if err != nil {
		return Result{}, err
	}
	if err := checkIfMatch(m, rev); err != nil {
		return Result{}, err
	}
	now := d.clock.Now()
	if err := act(reg, now); err != nil {
		return Result{}, domainError(err, unitCodes)
	}
	rev, err = d.appendChanges(ctx, unit.Stream(project, district), expected, m.Principal.Actor(), project, district, m.chain(), now, reg.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id(district), Revision: rev}, nil
}

// UnitEntry is one unit of a registration.
type UnitEntry struct {
	Unit string `json:"unit"`
	// Building defaults to the unit code's part before its first '-'.
	Building string `json:"building,omitempty"`
	// Status is occupied (the default) or vacant.
	Status string `json:"status,omitempty"`
}

// RegisterUnits adds units to a district's register, up to unit.MaxBatch
// at once; the whole batch is refused if one unit is.
type RegisterUnits struct {
	District string      `json:"district,omitempty"`
	Units    []UnitEntry `json:"units"`
}

type RegisterUnitsHandler struct{ d handlerDeps }

func (h RegisterUnitsHandler) Handle(ctx context.Context, m Meta, cmd RegisterUnits) (Result, error) {
	units := make([]unit.Unit, len(cmd.Units))
	for i, u := range cmd.Units {
		units[i] = unit.Unit{Unit: u.Unit, Building: u.Building, Status: unit.Status(strings.TrimSpace(u.Status))}
	}
	return changeUnits(ctx, h.d, m, cmd.District, nil, func(d string) string { return d }, func(r *unit.Register, now time.Time) error {
		return r.Register(units, now)
	})
}

// SetUnitStatus records that a unit became occupied or vacant.
type SetUnitStatus struct {
	Unit     string `json:"-"`
	District string `json:"district,omitempty"`
	Status   string `json:"status"`
}

type SetUnitStatusHandler struct{ d handlerDeps }

func (h SetUnitStatusHandler) Handle(ctx context.Context, m Meta, cmd SetUnitStatus) (Result, error) {
	return changeUnits(ctx, h.d, m, cmd.District, missing("unit", cmd.Unit, "status", cmd.Status), unitID(cmd.Unit),
		func(r *unit.Register, now time.Time) error {
			return r.SetStatus(cmd.Unit, unit.Status(strings.TrimSpace(cmd.Status)), now)
		})
}

// MarkKeyClient puts a unit's household in the key-client register (R-H7).
type MarkKeyClient struct {
	Unit     string `json:"-"`
	District string `json:"district,omitempty"`
	Reason   string `json:"reason"`
}

type MarkKeyClientHandler struct{ d handlerDeps }

func (h MarkKeyClientHandler) Handle(ctx context.Context, m Meta, cmd MarkKeyClient) (Result, error) {
	return changeUnits(ctx, h.d, m, cmd.District, missing("unit", cmd.Unit, "reason", cmd.Reason), unitID(cmd.Unit),
		func(r *unit.Register, now time.Time) error { return r.MarkKeyClient(cmd.Unit, cmd.Reason, now) })
}

// UnmarkKeyClient takes a household out of the key-client register.
type UnmarkKeyClient struct {
	Unit     string `json:"-"`
	District string `json:"district,omitempty"`
	Reason   string `json:"reason"`
}

type UnmarkKeyClientHandler struct{ d handlerDeps }

func (h UnmarkKeyClientHandler) Handle(ctx context.Context, m Meta, cmd UnmarkKeyClient) (Result, error) {
	return changeUnits(ctx, h.d, m, cmd.District, missing("unit", cmd.Unit, "reason", cmd.Reason), unitID(cmd.Unit),
		func(r *unit.Register, now time.Time) error { return r.UnmarkKeyClient(cmd.Unit, cmd.Reason, now) })
}

func unitID(u string) func(string) string { return func(string) string { return strings.TrimSpace(u) } }
