package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/vacant"
)

// Vacant-unit and patrol roles (R-V1…R-V4):
//
//	command                               butler supervisor cleaner engineer
//	vacant unit register / occupy           x        x
//	monthly service, weather service        x        x         x
//	finding, contractor, close              x        x                  x
//	patrol record, finding → work order     x        x
//	month-end misses                      system actor
var (
	vacantRegisterRoles = []string{RoleButler, RoleSupervisor}
	vacantServiceRoles  = []string{RoleButler, RoleSupervisor, RoleCleaner}
	vacantFindingRoles  = []string{RoleButler, RoleSupervisor, RoleEngineer}
	patrolRoles         = []string{RoleButler, RoleSupervisor}
)

// vacantCodes are the stable error codes of refused vacant-unit rules.
var vacantCodes = map[error]string{
	vacant.ErrNotRegistered:          "vacant_unit_not_registered",
	vacant.ErrRegistrationIncomplete: "registration_incomplete",
	vacant.ErrOccupied:               "unit_occupied",
	vacant.ErrUnknownService:         "unknown_service",
	vacant.ErrUnknownWeather:         "unknown_weather",
	vacant.ErrNotesMissing:           "notes_missing",
	vacant.ErrUnknownFinding:         "unknown_finding",
	vacant.ErrContractorMissing:      "contractor_missing",
	vacant.ErrContractorNotContacted: "contractor_not_contacted",
	vacant.ErrFindingClosed:          "finding_closed",
	vacant.ErrFindingsOpen:           "findings_open",
	vacant.ErrMonthNotOver:           "month_not_over",
}

func updateVacant(ctx context.Context, d handlerDeps, m Meta, id string, roles []string, act func(u *vacant.Unit, now time.Time) error) (Result, error) {
	if bad := missing("unit_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, vacant.Stream(id), roles, vacant.Decode, vacant.FromHistory, vacantCodes, act)
}

// RegisterVacantUnit puts a unit on the vacant-unit register.
type RegisterVacantUnit struct {
	Unit     string `json:"unit"`
	Owner    string `json:"owner,omitempty"`
	District string `json:"district,omitempty"`
}

type RegisterVacantUnitHandler struct{ d handlerDeps }

func NewRegisterVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) RegisterVacantUnitHandler {
	return RegisterVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h RegisterVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd RegisterVacantUnit) (Result, error) {
	bad := missing("unit", cmd.Unit)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, vacantRegisterRoles...); err != nil {
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
	u, err := vacant.Register(vacant.Registered{UnitID: id, Project: project, District: district, Unit: cmd.Unit, Owner: cmd.Owner, At: now})
	if err != nil {
		return Result{}, domainError(err, vacantCodes)
	}
	rev, err := h.d.appendChanges(ctx, vacant.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, u.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// ServiceVacantUnit records a monthly inspection, ventilation or cleaning (R-V1).
type ServiceVacantUnit struct {
	UnitID  string `json:"-"`
	Service string `json:"service"`
	Notes   string `json:"notes,omitempty"`
}

type ServiceVacantUnitHandler struct{ d handlerDeps }

func NewServiceVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) ServiceVacantUnitHandler {
	return ServiceVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h ServiceVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd ServiceVacantUnit) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantServiceRoles, func(u *vacant.Unit, now time.Time) error {
		return u.Service(cmd.Service, cmd.Notes, now)
	})
}

// WeatherServiceVacantUnit records extra service for special weather (R-V2).
type WeatherServiceVacantUnit struct {
	UnitID  string `json:"-"`
	Weather string `json:"weather"`
	Notes   string `json:"notes"`
}

type WeatherServiceVacantUnitHandler struct{ d handlerDeps }

func NewWeatherServiceVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) WeatherServiceVacantUnitHandler {
	return WeatherServiceVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h WeatherServiceVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd WeatherServiceVacantUnit) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantServiceRoles, func(u *vacant.Unit, now time.Time) error {
		return u.ServiceForWeather(cmd.Weather, cmd.Notes, now)
	})
}

// OccupyVacantUnit takes the unit off the register.
type OccupyVacantUnit struct {
	UnitID string `json:"-"`
}

type OccupyVacantUnitHandler struct{ d handlerDeps }

func NewOccupyVacantUnitHandler(store EventStore, clock Clock, ids IDGenerator) OccupyVacantUnitHandler {
	return OccupyVacantUnitHandler{newHandlerDeps(store, clock, ids)}
}

func (h OccupyVacantUnitHandler) Handle(ctx context.Context, m Meta, cmd OccupyVacantUnit) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantRegisterRoles, func(u *vacant.Unit, now time.Time) error {
		return u.Occupy(now)
	})
}

// RecordVacantMonth is the R-V1 month-end policy on one unit and month.
type RecordVacantMonth struct {
	UnitID string
	Month  string
}

type RecordVacantMonthHandler struct{ d handlerDeps }

func NewRecordVacantMonthHandler(store EventStore, clock Clock, ids IDGenerator) RecordVacantMonthHandler {
	return RecordVacantMonthHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordVacantMonthHandler) Handle(ctx context.Context, m Meta, cmd RecordVacantMonth) (PolicyResult, error) {
	return recordAsSystem(ctx, h.d, m, systemStream[*vacant.Unit]{id: cmd.UnitID, name: vacant.Stream(cmd.UnitID),
		decode: vacant.Decode, rebuild: vacant.FromHistory, codes: vacantCodes},
		func(u *vacant.Unit, now time.Time) (bool, error) { return u.RecordMonth(cmd.Month, now) })
}

// VacantHandlers are the vacant-unit module's command handlers.
type VacantHandlers struct {
	Register            RegisterVacantUnitHandler
	Service             ServiceVacantUnitHandler
	WeatherService      WeatherServiceVacantUnitHandler
	OpenFinding         OpenVacantFindingHandler
	ContactContractor   ContactVacantContractorHandler
	CloseFinding        CloseVacantFindingHandler
	Occupy              OccupyVacantUnitHandler
	RecordMonth         RecordVacantMonthHandler
	RecordPatrol        RecordPatrolHandler
	ReportPatrolFinding ReportPatrolFindingHandler
}

func newVacantHandlers(d handlerDeps) VacantHandlers {
	return VacantHandlers{
		Register:            RegisterVacantUnitHandler{d},
		Service:             ServiceVacantUnitHandler{d},
		WeatherService:      WeatherServiceVacantUnitHandler{d},
		OpenFinding:         OpenVacantFindingHandler{d},
		ContactContractor:   ContactVacantContractorHandler{d},
		CloseFinding:        CloseVacantFindingHandler{d},
		Occupy:              OccupyVacantUnitHandler{d},
		RecordMonth:         RecordVacantMonthHandler{d},
		RecordPatrol:        RecordPatrolHandler{d},
		ReportPatrolFinding: NewReportPatrolFindingHandler(d.store, d.clock, d.ids),
	}
}
