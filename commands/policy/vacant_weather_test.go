package policy_test

import (
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/vacant"
)

// R-V2: special weather makes an extra service of every vacant unit due,
// once; one not done by the end of the next day is recorded missed, once;
// one done is not.
func TestSpecialWeatherVacantServices(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const due, missed = "R-V2 special weather vacant services due", "R-V2 special weather vacant services missed"
	neglected := r.ok(r.h.Vacant.Register.Handle(r.ctx, as(butler), commands.RegisterVacantUnit{Unit: "3-2-1201"}))
	served := r.ok(r.h.Vacant.Register.Handle(r.ctx, as(butler), commands.RegisterVacantUnit{Unit: "3-2-1202"}))
	r.tick(due, 0) // no special weather yet
	r.ok(r.h.RainyDay.RecordSpecialWeather.Handle(r.ctx, as(butler), commands.RecordSpecialWeather{Date: localtime.Day(r.clock.Now()), Kind: "strong_wind"}))
	r.tick(due, 2)
	r.tick(due, 0)
	for _, id := range []string{neglected, served} {
		if got := r.last(vacant.Stream(id)); got != vacant.TypeWeatherServiceDue {
			t.Fatalf("%s: last event %s", id, got)
		}
	}
	r.ok(r.h.Vacant.WeatherService.Handle(r.ctx, as(butler), commands.WeatherServiceVacantUnit{UnitID: served, Weather: "strong_wind", Notes: "门窗已关闭加固"}))
	r.clock.Advance(day)
	r.tick(missed, 0) // due by the end of tomorrow
	r.clock.Advance(day + time.Minute)
	r.recordsOnce(missed, vacant.Stream(neglected), vacant.TypeWeatherServiceMissed, vacant.Stream(neglected))
	if got := r.last(vacant.Stream(served)); got != vacant.TypeWeatherServiced {
		t.Fatalf("the served unit's last event is %s", got)
	}
}
