package policy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/projections"
)

// The rules here are not one query: they walk a window of ended days,
// weeks or months, project by project.

// missedDaysWindow is how far back the day-end rule looks: a program
// stopped for a few days still records the days it missed, without
// scanning all history on every tick.
const missedDaysWindow = 7

// registerWeeksWindow is how many ended weeks the R-R6 rule looks back.
const registerWeeksWindow = 2

// vacantMonthsWindow is how many ended months the month-end rule looks
// back: a program stopped over a month end still records it.
const vacantMonthsWindow = 2

// eachProject runs fn for every project with a record in index, keeping
// one project's failure from holding up the others.
func eachProject(ctx context.Context, reads Searcher, index, field string, fn func(project string) (int, error)) (int, error) {
	res, err := reads.Search(ctx, index, projections.Query{Size: 1, Facets: []string{field}})
	if err != nil {
		return 0, err
	}
	n := 0
	var failed []error
	for _, p := range res.Facets[field] {
		k, err := fn(p.Term)
		n += k
		if err != nil {
			failed = append(failed, fmt.Errorf("project %s: %w", p.Term, err))
		}
	}
	return n, errors.Join(failed...)
}

// keyReconciliationsMissed is R-K3: every ended day (within the window)
// of a project with registered keys that the custodian did not reconcile.
func keyReconciliationsMissed(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		return eachProject(ctx, reads, projections.KeysIndex, projections.KeyFieldProject, func(project string) (int, error) {
			firstKey, ok, err := first[projections.Key](ctx, reads, projections.KeysIndex, projections.Query{
				Terms: terms{projections.KeyFieldProject: {project}},
				Sort:  []projections.Sort{{Field: projections.KeyFieldRegisteredAt}}})
			if err != nil || !ok {
				return 0, err
			}
			firstDay := reconcile.DayOf(firstKey.RegisteredAt)
			settled, err := settledKeyDays(ctx, reads, project, now)
			if err != nil {
				return 0, err
			}
			var missed []string
			for i := missedDaysWindow; i >= 1; i-- {
				if day := reconcile.DayOf(now.AddDate(0, 0, -i)); day >= firstDay && !settled[day] {
					missed = append(missed, day)
				}
			}
			return recordAll(ctx, missed, func(ctx context.Context, day string) (bool, error) {
				return h.RecordKeyReconciliationMissed(ctx, project, day)
			})
		})
	}
}

// settledKeyDays are the project's days of the window already settled.
func settledKeyDays(ctx context.Context, reads Searcher, project string, now time.Time) (map[string]bool, error) {
	res, err := reads.Search(ctx, projections.KeyDaysIndex, projections.Query{
		Terms:  terms{projections.KeyDayFieldProject: {project}, projections.KeyDayFieldSettled: {"true"}},
		Ranges: []projections.Range{{Field: projections.KeyDayFieldDate, Min: now.AddDate(0, 0, -missedDaysWindow-1)}},
		Size:   100,
	})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, hit := range res.Hits {
		d, err := decode[projections.KeyDay](hit)
		if err != nil {
			return nil, err
		}
		out[d.Day] = true
	}
	return out, nil
}

// renovationRegisterShort is R-R6: an ended week, after the project's
// first renovation was filed, with fewer than two register checks.
func renovationRegisterShort(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		return eachProject(ctx, reads, projections.RenovationsIndex, projections.RenovationFieldProject, func(project string) (int, error) {
			firstFiled, ok, err := first[projections.Renovation](ctx, reads, projections.RenovationsIndex, projections.Query{
				Terms: terms{projections.RenovationFieldProject: {project}},
				Sort:  []projections.Sort{{Field: projections.RenovationFieldFiledAt}}})
			if err != nil || !ok {
				return 0, err
			}
			firstWeekEnd, _ := register.WeekEnd(register.WeekOf(firstFiled.FiledAt))
			var short []string
			for i := registerWeeksWindow; i >= 1; i-- {
				week := register.WeekOf(now.AddDate(0, 0, -7*i))
				end, _ := register.WeekEnd(week)
				if end.Before(firstWeekEnd) {
					continue
				}
				settled, err := reads.Search(ctx, projections.RenovationRegisterIndex, projections.Query{Terms: terms{
					projections.RegisterWeekFieldProject: {project},
					projections.RegisterWeekFieldWeek:    {week},
					projections.RegisterWeekFieldSettled: {"true"},
				}, Size: 1})
				if err != nil {
					return 0, err
				}
				if settled.Total == 0 {
					short = append(short, week)
				}
			}
			return recordAll(ctx, short, func(ctx context.Context, week string) (bool, error) {
				return h.RecordRegisterChecksShort(ctx, project, week)
			})
		})
	}
}

// vacantMonthsMissed is R-V1's month end: for each of the last ended
// months, every unit registered before the month's end gets its missing
// services recorded (the domain decides; once per month).
func vacantMonthsMissed(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		n := 0
		now = localtime.In(now) // the project's months
		thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
		for back := 1; back <= vacantMonthsWindow; back++ {
			start := thisMonth.AddDate(0, -back, 0)
			month := start.Format("2006-01")
			k, err := each(ctx, reads, projections.VacantUnitsIndex, projections.Query{
				Ranges: before(projections.VacantUnitFieldRegisteredAt, start.AddDate(0, 1, 0)),
			}, func(ctx context.Context, id string) (bool, error) {
				r, err := h.Vacant.RecordMonth.Handle(ctx, commands.Meta{}, commands.RecordVacantMonth{UnitID: id, Month: month})
				return r.Recorded, err
			})
			n += k
			if err != nil {
				return n, err
			}
		}
		return n, nil
	}
}
