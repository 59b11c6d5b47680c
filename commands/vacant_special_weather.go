package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/rainyday"
	"github.com/butler-pm/butler/domain/vacant"
)

// RecordSpecialWeather records special weather (long rain, strong wind,
// typhoon, snow, heat) in the caller's project on Date (YYYY-MM-DD, the
// clock's zone), on the project's rainy-day calendar. Every vacant unit
// then needs an extra service (R-V2): a time rule makes it due.
type RecordSpecialWeather struct {
	Date string `json:"date"`
	Kind string `json:"kind"`
}

type RecordSpecialWeatherHandler struct{ d handlerDeps }

func NewRecordSpecialWeatherHandler(store EventStore, clock Clock, ids IDGenerator) RecordSpecialWeatherHandler {
	return RecordSpecialWeatherHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordSpecialWeatherHandler) Handle(ctx context.Context, m Meta, cmd RecordSpecialWeather) (Result, error) {
	return onCalendar(ctx, h.d, m, cmd.Date, func(cal *rainyday.Calendar, date, now time.Time) error {
		return cal.RecordSpecialWeather(date, cmd.Kind, now)
	})
}

// SpecialWeatherSince is the project's special weather on or after day
// (YYYY-MM-DD), read from its calendar in the event store: what the R-V2
// time rule opens extra vacant-unit services for.
func (h *Handlers) SpecialWeatherSince(ctx context.Context, project, day string) ([]rainyday.Weather, error) {
	hist, err := h.deps.readHistory(ctx, rainyday.Stream(project), rainyday.Decode)
	if err != nil || !hist.exists {
		return nil, err
	}
	cal, err := rainyday.FromHistory(project, hist.payloads)
	if err != nil {
		return nil, err
	}
	return cal.SpecialWeatherSince(day), nil
}

// OpenVacantWeatherService is the R-V2 policy command: special weather on
// Date makes an extra service of the vacant unit due (once).
type OpenVacantWeatherService struct {
	UnitID  string `json:"unit_id"`
	Weather string `json:"weather"`
	Date    string `json:"date"`
}

type OpenVacantWeatherServiceHandler struct{ d handlerDeps }

func (h OpenVacantWeatherServiceHandler) Handle(ctx context.Context, m Meta, cmd OpenVacantWeatherService) (PolicyResult, error) {
	if bad := missing("unit_id", cmd.UnitID, "weather", cmd.Weather, "date", cmd.Date); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*vacant.Unit]{id: cmd.UnitID, name: vacant.Stream(cmd.UnitID),
		decode: vacant.Decode, rebuild: vacant.FromHistory, codes: vacantCodes},
		func(u *vacant.Unit, now time.Time) (bool, error) {
			return u.OpenWeatherService(cmd.Weather, cmd.Date, now)
		})
}

// RecordVacantWeatherServicesMissed is the R-V2 policy command: extra
// services due and not done are recorded missed, once each.
type RecordVacantWeatherServicesMissed struct {
	UnitID string `json:"unit_id"`
}

type RecordVacantWeatherServicesMissedHandler struct{ d handlerDeps }

func (h RecordVacantWeatherServicesMissedHandler) Handle(ctx context.Context, m Meta, cmd RecordVacantWeatherServicesMissed) (PolicyResult, error) {
	if bad := missing("unit_id", cmd.UnitID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*vacant.Unit]{id: cmd.UnitID, name: vacant.Stream(cmd.UnitID),
		decode: vacant.Decode, rebuild: vacant.FromHistory, codes: vacantCodes},
		func(u *vacant.Unit, now time.Time) (bool, error) { return u.RecordWeatherServicesMissed(now) > 0, nil })
}

// OpenVacantWeatherService runs the R-V2 rule on one unit and one day of
// special weather; it reports whether the extra service was made due now.
func (h *Handlers) OpenVacantWeatherService(ctx context.Context, unitID, weather, date string) (bool, error) {
	r, err := h.Vacant.OpenWeatherService.Handle(ctx, Meta{}, OpenVacantWeatherService{UnitID: unitID, Weather: weather, Date: date})
	return r.Recorded, err
}

// RecordVacantWeatherServicesMissed runs the R-V2 missed rule on one unit.
func (h *Handlers) RecordVacantWeatherServicesMissed(ctx context.Context, unitID string) (bool, error) {
	r, err := h.Vacant.RecordWeatherServicesMissed.Handle(ctx, Meta{}, RecordVacantWeatherServicesMissed{UnitID: unitID})
	return r.Recorded, err
}
