package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
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
	// R-V2: extra services after special weather, made due and missed by time rules.
	OpenWeatherService          OpenVacantWeatherServiceHandler
	RecordWeatherServicesMissed RecordVacantWeatherServicesMissedHandler
}

func newVacantHandlers(d handlerDeps) VacantHandlers {
	return VacantHandlers{
		Register:                    RegisterVacantUnitHandler{d},
		Service:                     ServiceVacantUnitHandler{d},
		WeatherService:              WeatherServiceVacantUnitHandler{d},
		OpenFinding:                 OpenVacantFindingHandler{d},
		ContactContractor:           ContactVacantContractorHandler{d},
		CloseFinding:                CloseVacantFindingHandler{d},
		Occupy:                      OccupyVacantUnitHandler{d: d},
		RecordMonth:                 RecordVacantMonthHandler{d},
		RecordPatrol:                RecordPatrolHandler{d},
		ReportPatrolFinding:         NewReportPatrolFindingHandler(d.store, d.clock, d.ids),
		OpenWeatherService:          OpenVacantWeatherServiceHandler{d},
		RecordWeatherServicesMissed: RecordVacantWeatherServicesMissedHandler{d},
	}
}
