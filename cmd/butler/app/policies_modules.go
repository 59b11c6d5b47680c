package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/projections"
)

// missedDaysWindow is how far back the day-end policies look: a program
// stopped for a few days still records the days it missed, without
// scanning all history on every tick.
const missedDaysWindow = 7

// tickModules runs the key, fee, renovation and move-in time rules.
func (p *Policies) tickModules(ctx context.Context, now time.Time) (int, error) {
	var errs []error
	n := 0
	// Keys on loan past their due time (R-K2).
	k, err := p.each(ctx, projections.KeysIndex, projections.Query{
		Terms:  map[string][]string{"on_loan": {"true"}, "loan_overdue": {"false"}},
		Ranges: []projections.Range{{Field: "due_at", Max: now}},
	}, p.handlers.RecordKeyLoanOverdue)
	n += k
	if err != nil {
		errs = append(errs, errors.New("key loans overdue: "+err.Error()))
	}
	k, err = p.keyReconciliationsMissed(ctx, now)
	n += k
	if err != nil {
		errs = append(errs, errors.New("key reconciliation missed: "+err.Error()))
	}
	k, err = p.keyLoanForms(ctx)
	n += k
	if err != nil {
		errs = append(errs, errors.New("key loan forms: "+err.Error()))
	}
	k, err = p.arrearsAgeing(ctx, now)
	n += k
	if err != nil {
		errs = append(errs, errors.New("arrears ageing: "+err.Error()))
	}
	k, err = p.renovationInspectionsMissed(ctx, now)
	n += k
	if err != nil {
		errs = append(errs, errors.New("renovation inspections missed: "+err.Error()))
	}
	k, err = p.renovationRegisterShort(ctx, now)
	n += k
	if err != nil {
		errs = append(errs, errors.New("renovation register checks: "+err.Error()))
	}
	return n, errors.Join(errs...)
}

// keyReconciliationsMissed records R-K3's missed days: every ended day
// (within the window) of a project with registered keys that the custodian
// did not reconcile.
func (p *Policies) keyReconciliationsMissed(ctx context.Context, now time.Time) (int, error) {
	res, err := p.reads.Search(ctx, projections.KeysIndex, projections.Query{Size: 1, Facets: []string{"project"}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, proj := range res.Facets["project"] {
		first, err := p.reads.Search(ctx, projections.KeysIndex, projections.Query{
			Terms: map[string][]string{"project": {proj.Term}}, Size: 1, Sort: []projections.Sort{{Field: "registered_at"}}})
		if err != nil {
			return n, err
		}
		if len(first.Hits) == 0 {
			continue
		}
		var doc projections.Key
		if err := decodeDoc(first.Hits[0], &doc); err != nil {
			return n, err
		}
		firstDay := reconcile.DayOf(doc.RegisteredAt)
		settled, err := p.settledKeyDays(ctx, proj.Term, now)
		if err != nil {
			return n, err
		}
		for i := missedDaysWindow; i >= 1; i-- {
			day := reconcile.DayOf(now.AddDate(0, 0, -i))
			if day < firstDay || settled[day] {
				continue
			}
			ok, err := p.handlers.RecordKeyReconciliationMissed(ctx, proj.Term, day)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}

func (p *Policies) settledKeyDays(ctx context.Context, project string, now time.Time) (map[string]bool, error) {
	res, err := p.reads.Search(ctx, projections.KeyDaysIndex, projections.Query{
		Terms:  map[string][]string{"project": {project}, "settled": {"true"}},
		Ranges: []projections.Range{{Field: "date", Min: now.AddDate(0, 0, -missedDaysWindow-1)}},
		Size:   100,
	})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, h := range res.Hits {
		var d projections.KeyDay
		if err := decodeDoc(h, &d); err != nil {
			return nil, err
		}
		out[d.Day] = true
	}
	return out, nil
}

func decodeDoc(d projections.Document, into any) error { return json.Unmarshal(d.Source, into) }

// arrearsAgeing records each unpaid overdue bill's move into its next
// ageing bucket (0–30, 31–90, 91–180, over 180 days past due).
func (p *Policies) arrearsAgeing(ctx context.Context, now time.Time) (int, error) {
	return p.each(ctx, projections.FeeBillsIndex, projections.Query{
		Terms:  map[string][]string{"status": {"unpaid", "part_paid"}},
		Ranges: []projections.Range{{Field: "next_ageing_at", Max: now}},
	}, p.handlers.RecordArrearsAgeing)
}

// renovationInspectionsMissed records R-R3's missed days on every
// renovation in progress whose first unaccounted day has ended.
func (p *Policies) renovationInspectionsMissed(ctx context.Context, now time.Time) (int, error) {
	return p.each(ctx, projections.RenovationsIndex, projections.Query{
		Terms:  map[string][]string{"status": {"in_progress"}},
		Ranges: []projections.Range{{Field: "next_inspection_check_at", Max: now}},
	}, p.handlers.RecordMissedInspections)
}

// registerWeeksWindow is how many ended weeks the R-R6 policy looks back.
const registerWeeksWindow = 2

// renovationRegisterShort records R-R6's short weeks: an ended week, after
// the project's first renovation was filed, with fewer than two checks.
func (p *Policies) renovationRegisterShort(ctx context.Context, now time.Time) (int, error) {
	res, err := p.reads.Search(ctx, projections.RenovationsIndex, projections.Query{Size: 1, Facets: []string{"project"}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, proj := range res.Facets["project"] {
		first, err := p.reads.Search(ctx, projections.RenovationsIndex, projections.Query{
			Terms: map[string][]string{"project": {proj.Term}}, Size: 1, Sort: []projections.Sort{{Field: "filed_at"}}})
		if err != nil {
			return n, err
		}
		if len(first.Hits) == 0 {
			continue
		}
		var doc projections.Renovation
		if err := decodeDoc(first.Hits[0], &doc); err != nil {
			return n, err
		}
		firstWeekEnd, _ := register.WeekEnd(register.WeekOf(doc.FiledAt))
		for i := registerWeeksWindow; i >= 1; i-- {
			week := register.WeekOf(now.AddDate(0, 0, -7*i))
			end, _ := register.WeekEnd(week)
			if end.Before(firstWeekEnd) {
				continue
			}
			settled, err := p.reads.Search(ctx, projections.RenovationRegisterIndex, projections.Query{
				Terms: map[string][]string{"project": {proj.Term}, "week": {week}, "settled": {"true"}}, Size: 1})
			if err != nil {
				return n, err
			}
			if settled.Total > 0 {
				continue
			}
			ok, err := p.handlers.RecordRegisterChecksShort(ctx, proj.Term, week)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}
