package vacant_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/vacant"
)

var (
	cst  = time.FixedZone("CST", 8*3600)
	t0   = time.Date(2026, 3, 2, 9, 0, 0, 0, cst)
	reg  = vacant.Registered{UnitID: "u1", Project: "p1", District: "d1", Unit: "3-2-1201", At: t0}
	insp = vacant.Serviced{Service: vacant.Inspection, Month: "2026-03", At: t0}
	vent = vacant.Serviced{Service: vacant.Ventilation, Month: "2026-03", At: t0}
	clea = vacant.Serviced{Service: vacant.Cleaning, Month: "2026-03", At: t0}
	find = vacant.FindingOpened{Finding: 0, Description: "卫生间天花渗水", At: t0}
	told = vacant.ContractorContacted{Finding: 0, Contractor: "开发商维修部", At: t0}
)

func TestVacantUnitRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(u *vacant.Unit) error
		then  []event.Payload
		err   error
	}{
		{"R-V1 monthly inspection", []event.Payload{reg},
			func(u *vacant.Unit) error { return u.Service(vacant.Inspection, "正常", now) },
			[]event.Payload{vacant.Serviced{Service: vacant.Inspection, Month: "2026-03", Notes: "正常", At: now}}, nil},
		{"R-V1 the service month is the project's: 00:30 on 1 April in China, stamped in UTC, is April's", []event.Payload{reg},
			func(u *vacant.Unit) error {
				return u.Service(vacant.Inspection, "正常", time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC))
			},
			[]event.Payload{vacant.Serviced{Service: vacant.Inspection, Month: "2026-04", Notes: "正常", At: time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC)}}, nil},
		{"R-V1 unknown service", []event.Payload{reg},
			func(u *vacant.Unit) error { return u.Service("painting", "", now) }, nil, vacant.ErrUnknownService},
		{"R-V2 long rain triggers extra service", []event.Payload{reg},
			func(u *vacant.Unit) error {
				return u.ServiceForWeather("long_rain", "检查窗户关闭、无渗水", now)
			},
			[]event.Payload{vacant.WeatherServiced{Weather: "long_rain", Notes: "检查窗户关闭、无渗水", At: now}}, nil},
		{"R-V2 unknown weather", []event.Payload{reg},
			func(u *vacant.Unit) error { return u.ServiceForWeather("fog", "x", now) }, nil, vacant.ErrUnknownWeather},
		{"R-V3 a finding", []event.Payload{reg},
			func(u *vacant.Unit) error { return u.OpenFinding("卫生间天花渗水", now) },
			[]event.Payload{vacant.FindingOpened{Finding: 0, Description: "卫生间天花渗水", At: now}}, nil},
		{"R-V3 closing before the contractor is contacted is refused", []event.Payload{reg, find},
			func(u *vacant.Unit) error { return u.CloseFinding(0, "已修", now) }, nil, vacant.ErrContractorNotContacted},
		{"R-V3 followed to the end", []event.Payload{reg, find, told},
			func(u *vacant.Unit) error { return u.CloseFinding(0, "已修复防水", now) },
			[]event.Payload{vacant.FindingClosed{Finding: 0, Result: "已修复防水", At: now}}, nil},
		{"R-V3 the unit cannot leave the register with an open finding", []event.Payload{reg, find, told},
			func(u *vacant.Unit) error { return u.Occupy(now) }, nil, vacant.ErrFindingsOpen},
		{"an occupied unit gets no vacant services", []event.Payload{reg, vacant.Occupied{At: t0}},
			func(u *vacant.Unit) error { return u.Service(vacant.Cleaning, "", now) }, nil, vacant.ErrOccupied},
		{"unknown finding", []event.Payload{reg},
			func(u *vacant.Unit) error { return u.ContactContractor(0, "x", now) }, nil, vacant.ErrUnknownFinding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := vacant.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(u); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(u.Changes(), tt.then) {
				t.Fatalf("changes = %#v", u.Changes())
			}
		})
	}
}

// R-V1 at month end: exactly the missing services are recorded, once.
func TestMonthEnd(t *testing.T) {
	t.Parallel()
	april := time.Date(2026, 4, 1, 0, 0, 1, 0, cst)
	tests := []struct {
		name    string
		given   []event.Payload
		now     time.Time
		missing []string
		err     error
	}{
		{"before the month ends nothing is recorded", []event.Payload{reg}, time.Date(2026, 3, 31, 23, 59, 0, 0, cst), nil, vacant.ErrMonthNotOver},
		{"all three done: nothing missed", []event.Payload{reg, insp, vent, clea}, april, nil, nil},
		{"cleaning missed", []event.Payload{reg, insp, vent}, april, []string{vacant.Cleaning}, nil},
		{"nothing done: all three missed", []event.Payload{reg}, april, []string{vacant.Inspection, vacant.Ventilation, vacant.Cleaning}, nil},
		{"services in February do not count for March", []event.Payload{reg, vacant.Serviced{Service: vacant.Cleaning, Month: "2026-02", At: t0}, insp, vent}, april, []string{vacant.Cleaning}, nil},
		{"recorded once", []event.Payload{reg, vacant.MonthMissed{Month: "2026-03", Missing: []string{"cleaning"}, At: april}}, april, nil, nil},
		{"occupied during the month: not a vacant unit at month end", []event.Payload{reg, vacant.Occupied{At: t0}}, april, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, _ := vacant.FromHistory(tt.given)
			rec, err := u.RecordMonth("2026-03", tt.now)
			if !errors.Is(err, tt.err) || rec != (tt.missing != nil) {
				t.Fatalf("recorded %v err %v", rec, err)
			}
			if tt.missing != nil && !reflect.DeepEqual(u.Changes(), []event.Payload{vacant.MonthMissed{Month: "2026-03", Missing: tt.missing, At: tt.now}}) {
				t.Fatalf("changes = %#v", u.Changes())
			}
		})
	}
	// A unit registered after the month ended owes nothing for it.
	late := reg
	late.At = april
	u, _ := vacant.FromHistory([]event.Payload{late})
	if rec, _ := u.RecordMonth("2026-03", april.AddDate(0, 0, 1)); rec {
		t.Fatal("a unit registered in April missed March")
	}
}

// R-V2: special weather makes an extra service of each vacant unit due by
// the end of the next day; a weather service answers it; one not done is
// recorded missed, once.
func TestWeatherServiceDue(t *testing.T) {
	t.Parallel()
	u, err := vacant.FromHistory([]event.Payload{reg})
	if err != nil {
		t.Fatal(err)
	}
	now := t0.AddDate(0, 0, 1) // 3 March
	if ok, err := u.OpenWeatherService("strong_wind", "2026-03-03", now); !ok || err != nil {
		t.Fatalf("open: %v %v", ok, err)
	}
	dueBy := time.Date(2026, 3, 5, 0, 0, 0, 0, cst)
	if got := u.Changes()[0].(vacant.WeatherServiceDue); !got.DueBy.Equal(dueBy) || got.ServedAt != nil {
		t.Fatalf("due = %+v, want due by 5 March 00:00 China", got)
	}
	if ok, _ := u.OpenWeatherService("strong_wind", "2026-03-03", now); ok {
		t.Fatal("opened twice")
	}
	if n := u.RecordWeatherServicesMissed(dueBy.Add(-time.Minute)); n != 0 {
		t.Fatal("missed before it was due")
	}
	if n := u.RecordWeatherServicesMissed(dueBy); n != 1 {
		t.Fatalf("missed %d, want 1", n)
	}
	if n := u.RecordWeatherServicesMissed(dueBy.Add(time.Hour)); n != 0 {
		t.Fatal("missed twice")
	}
	// Served in time: nothing missed.
	served, _ := vacant.FromHistory([]event.Payload{reg})
	served.OpenWeatherService("typhoon", "2026-03-03", now)
	if err := served.ServiceForWeather("typhoon", "门窗加固", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := served.RecordWeatherServicesMissed(dueBy.Add(time.Hour)); n != 0 {
		t.Fatal("a served unit was recorded missed")
	}
	// Served before the policy opened the due: the due is answered already.
	early, _ := vacant.FromHistory([]event.Payload{reg, vacant.WeatherServiced{Weather: "long_rain", Notes: "排水", At: now}})
	early.OpenWeatherService("long_rain", "2026-03-03", now.Add(time.Hour))
	if got := early.Changes()[0].(vacant.WeatherServiceDue); got.ServedAt == nil || !got.ServedAt.Equal(now) {
		t.Fatalf("due = %+v, want answered by the service at %v", got, now)
	}
	// An occupied unit, or one registered after the weather, gets nothing.
	occupied, _ := vacant.FromHistory([]event.Payload{reg, vacant.Occupied{At: t0}})
	if ok, _ := occupied.OpenWeatherService("snow", "2026-03-03", now); ok {
		t.Fatal("an occupied unit got an extra service due")
	}
	late, _ := vacant.FromHistory([]event.Payload{vacant.Registered{UnitID: "u2", Project: "p1", District: "d1", Unit: "1-1", At: dueBy}})
	if ok, _ := late.OpenWeatherService("snow", "2026-03-03", now); ok {
		t.Fatal("a unit registered after the weather got an extra service due")
	}
}
