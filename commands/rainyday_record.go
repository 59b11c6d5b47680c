package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/rainyday"
)

// rainyDayRoles may record a rainy day: the butler, supervisor, project
// manager and the command centre's operator.
var rainyDayRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}

// rainyDayCodes are the stable error codes of refused rainy-day rules.
var rainyDayCodes = map[error]string{
	rainyday.ErrProjectMissing:   "project_missing",
	rainyday.ErrDuplicateDate:    "duplicate_date",
	rainyday.ErrFutureDate:       "date_in_future",
	rainyday.ErrUnknownWeather:   "unknown_weather",
	rainyday.ErrDuplicateWeather: "duplicate_weather",
}

// RecordRainyDay records that it rained in the caller's project on Date
// (YYYY-MM-DD, read in the clock's zone). Leak repairs' return visits wait
// for it (R-W5). The result's ID is the project.
type RecordRainyDay struct {
	Date string `json:"date"`
}

type RecordRainyDayHandler struct{ d handlerDeps }

func NewRecordRainyDayHandler(store EventStore, clock Clock, ids IDGenerator) RecordRainyDayHandler {
	return RecordRainyDayHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordRainyDayHandler) Handle(ctx context.Context, m Meta, cmd RecordRainyDay) (Result, error) {
	return onCalendar(ctx, h.d, m, cmd.Date, func(cal *rainyday.Calendar, date, now time.Time) error {
		return cal.RecordRainyDay(date, now)
	})
}

// onCalendar is the one path of a change to the project's rainy-day
// calendar (rain, R-W5; special weather, R-V2): the role, the date read in
// the clock's zone, the project's calendar loaded, change, appended at the
// expected revision (If-Match honoured).
func onCalendar(ctx context.Context, d handlerDeps, m Meta, day string, change func(cal *rainyday.Calendar, date, now time.Time) error) (Result, error) {
	if err := requireRole(m.Principal, rainyDayRoles...); err != nil {
		return Result{}, err
	}
	now := d.clock.Now()
	date, err := time.ParseInLocation(time.DateOnly, day, now.Location())
	if err != nil {
		return Result{}, apperr.Invalid(map[string]string{"date": "must be a date YYYY-MM-DD"})
	}
	project := m.Principal.Project
	if project == "" {
		return Result{}, forbiddenScope()
	}
	stream := rainyday.Stream(project)
	hist, err := d.readHistory(ctx, stream, rainyday.Decode)
	if err != nil {
		return Result{}, err
	}
	expected := event.NoStream()
	if hist.exists {
		expected = event.Exact(hist.revision)
	}
	if m.IfMatch != nil && (!hist.exists || *m.IfMatch != hist.revision) {
		return Result{}, apperr.Errorf(apperr.PreconditionFailed, "precondition_failed", "the rainy-day calendar is not at revision %d", *m.IfMatch)
	}
	cal, err := rainyday.FromHistory(project, hist.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	if err := change(cal, date, now); err != nil {
		return Result{}, domainError(err, rainyDayCodes)
	}
	// The calendar is project-wide, so its events carry no district.
	rev, err := d.appendChanges(ctx, stream, expected, m.Principal.Actor(), project, "", m.chain(), now, cal.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: project, Revision: rev}, nil
}

// RainyDayHandlers are the rainy-day module's command handlers.
type RainyDayHandlers struct {
	Record               RecordRainyDayHandler
	RecordSpecialWeather RecordSpecialWeatherHandler
}

func newRainyDayHandlers(d handlerDeps) RainyDayHandlers {
	return RainyDayHandlers{
		Record:               NewRecordRainyDayHandler(d.store, d.clock, d.ids),
		RecordSpecialWeather: NewRecordSpecialWeatherHandler(d.store, d.clock, d.ids),
	}
}
