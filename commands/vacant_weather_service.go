package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

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
