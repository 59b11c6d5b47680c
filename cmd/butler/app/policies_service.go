package app

import (
	"context"
	"errors"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// tickService runs the visit time rules (R-H3): finished urgent and leak
// repairs and resolved complaints open a required return visit; a
// required return visit past its deadline is recorded overdue.
func (p *Policies) tickService(ctx context.Context, now time.Time) (int, error) {
	var errs []error
	n := 0
	open := func(source string) func(context.Context, string) (bool, error) {
		return func(ctx context.Context, id string) (bool, error) {
			r, err := p.handlers.Visit.OpenRequiredReturnVisit.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: source, ID: id})
			return r.Recorded, err
		}
	}
	for _, rule := range []struct {
		name   string
		index  string
		query  projections.Query
		record func(context.Context, string) (bool, error)
	}{
		{"R-H3 repair return visits due", projections.WorkOrdersIndex, projections.Query{Terms: map[string][]string{
			"status": {"completed"}, "return_visited": {"false"}}}, open("workorder")},
		{"R-H3 complaint return visits due", projections.ComplaintsIndex, projections.Query{Terms: map[string][]string{
			"status": {"resolved"}}}, open("complaint")},
		{"R-H3 fee collection visits due", projections.FeeBillsIndex, projections.Query{Terms: map[string][]string{
			"in_arrears": {"true"}}}, open("fee")},
		{"R-H3 return visits overdue", projections.ReturnVisitsIndex, projections.Query{
			Terms:  map[string][]string{"status": {"open"}},
			Ranges: []projections.Range{{Field: "due_by", Max: now}},
		}, func(ctx context.Context, id string) (bool, error) {
			r, err := p.handlers.Visit.MarkReturnVisitOverdue.Handle(ctx, commands.Meta{}, commands.MarkReturnVisitOverdue{DueID: id})
			return r.Recorded, err
		}},
	} {
		k, err := p.each(ctx, rule.index, rule.query, rule.record)
		n += k
		if err != nil {
			errs = append(errs, errors.New(rule.name+": "+err.Error()))
		}
	}
	k, err := p.vacantMonthsMissed(ctx, now)
	n += k
	if err != nil {
		errs = append(errs, errors.New("R-V1 vacant-unit month end: "+err.Error()))
	}
	return n, errors.Join(errs...)
}

// vacantMonthsWindow is how many ended months the month-end policy looks
// back: a program stopped over a month end still records it.
const vacantMonthsWindow = 2

// vacantMonthsMissed records R-V1's month-end misses: for each of the
// last ended months, every unit registered before the month's end gets
// its missing services recorded (the domain decides; once per month).
func (p *Policies) vacantMonthsMissed(ctx context.Context, now time.Time) (int, error) {
	n := 0
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	for back := 1; back <= vacantMonthsWindow; back++ {
		start := thisMonth.AddDate(0, -back, 0)
		month := start.Format("2006-01")
		k, err := p.each(ctx, projections.VacantUnitsIndex, projections.Query{
			Ranges: []projections.Range{{Field: "registered_at", Max: start.AddDate(0, 1, 0)}},
		}, func(ctx context.Context, id string) (bool, error) {
			r, err := p.handlers.Vacant.RecordMonth.Handle(ctx, commands.Meta{}, commands.RecordVacantMonth{UnitID: id, Month: month})
			return r.Recorded, err
		})
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
