package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/butler-pm/butler/domain/localtime"
)

// The key KPIs (R-K2, R-K3, R-K4, R-K5). A key-register day exists once the
// custodian reconciled it or the policy recorded it missed, so the
// compliance rate counts both.
func keyKPIs() []KPI {
	return []KPI{
		{
			Name:        "key-reconciliation-compliance",
			Description: "days on which the custodian reconciled the keys against the ledger, of days reconciled or missed (R-K3)",
			Target:      "100%",
			Index:       KeyDaysIndex, Kind: Rate, MonthField: "month", ButlerField: "custodian",
			Where:   map[string][]string{"settled": {"true"}},
			Measure: Field("reconciled"),
		},
		{
			Name:        "key-reconciliation-discrepancies",
			Description: "days whose key count differed from the ledger (R-K3)",
			Target:      "0",
			Index:       KeyDaysIndex, Kind: Count, MonthField: "month", ButlerField: "custodian",
			Measure: Field("discrepancy"),
		},
		{
			Name:        "keys-on-loan-past-due",
			Description: "keys out on loan past their due time (R-K2)",
			Target:      "0",
			Index:       KeysIndex, Kind: Count, ButlerField: "custodian",
			Where:   map[string][]string{"on_loan": {"true"}},
			Measure: Field("loan_overdue"),
		},
		{
			Name:        "keys-lost",
			Description: "keys whose loss the project manager approved, by month of approval (R-K4)",
			Target:      "0",
			Index:       KeysIndex, Kind: Count, MonthField: "lost_month", ButlerField: "custodian",
			Measure: Field("lost"),
		},
		{
			Name:        "key-loan-forms-unfiled",
			Description: "keys with a loan form (lent or returned) not yet filed in the owner's archive, e.g. because the unit has no archive yet (R-K5)",
			Target:      "0",
			Index:       KeysIndex, Kind: Count, ButlerField: "custodian",
			Measure: Field("loan_forms_unfiled"),
		},
		{
			Name: "key-supervisor-weekly-checks",
			Description: "weeks of the month (Monday to Sunday, by the month of their Monday) in which the supervisor checked the key ledger " +
				"against the keys, of the month's weeks; records are the check days (R-K3)",
			Target: "100%",
			Index:  KeyDaysIndex,
			Custom: supervisorWeeklyChecks,
		},
	}
}

// weekMonday is the Monday (00:00 in the projects' calendar) of t's week.
func weekMonday(t time.Time) time.Time {
	t = localtime.In(t)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, localtime.Zone())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// weeksOf counts the weeks whose Monday falls in the month (4 or 5).
func weeksOf(month string) (first time.Time, n int, err error) {
	m, err := time.ParseInLocation("2006-01", month, localtime.Zone())
	if err != nil {
		return time.Time{}, 0, err
	}
	first = weekMonday(m)
	if first.Before(m) {
		first = first.AddDate(0, 0, 7)
	}
	for d := first; d.Month() == m.Month(); d = d.AddDate(0, 0, 7) {
		n++
	}
	return first, n, nil
}

// supervisorWeeklyChecks measures R-K3's weekly supervisor check: the
// numerator is the month's weeks with at least one check, the denominator
// the month's weeks. Without ?month= it covers every month with a check.
// The key register is the project's, so ?district= and ?butler= do not
// narrow it.
func supervisorWeeklyChecks(ctx context.Context, reads KPIReads, f KPIFilter) (KPIResult, error) {
	const name = "key-supervisor-weekly-checks"
	res := KPIResult{Name: name, Description: "weeks with a supervisor's check of the key ledger / weeks of the month (R-K3)",
		Target: "100%", Filter: f, Records: []string{}, NumeratorRecords: []string{}}
	q := Query{Terms: map[string][]string{"project": {f.Project}, "supervisor_checked": {"true"}}, Size: 1000, Sort: []Sort{{Field: "id"}}}
	if f.Month != "" {
		first, n, err := weeksOf(f.Month)
		if err != nil {
			return res, fmt.Errorf("kpi %s: month %q: %w", name, f.Month, err)
		}
		q.Ranges = []Range{{Field: "date", Min: first, Max: first.AddDate(0, 0, 7*n)}}
	}
	weeks, months := map[string]bool{}, map[string]bool{}
	for {
		page, err := reads.Search(ctx, KeyDaysIndex, q)
		if err != nil {
			return res, fmt.Errorf("kpi %s: %w", name, err)
		}
		for _, h := range page.Hits {
			var d KeyDay
			if err := json.Unmarshal(h.Source, &d); err != nil {
				return res, fmt.Errorf("kpi %s: record %s: %w", name, h.ID, err)
			}
			mon := weekMonday(d.Date)
			weeks[mon.Format(time.DateOnly)] = true
			months[mon.Format("2006-01")] = true
			res.Records = append(res.Records, h.ID)
		}
		if len(page.Hits) < q.Size {
			break
		}
		q.After = page.Cursor
	}
	if f.Month != "" {
		months = map[string]bool{f.Month: true}
	}
	for m := range months {
		_, n, err := weeksOf(m)
		if err != nil {
			return res, fmt.Errorf("kpi %s: month %q: %w", name, m, err)
		}
		res.Denominator += float64(n)
	}
	res.Numerator = float64(len(weeks))
	slices.Sort(res.Records)
	res.NumeratorRecords = append([]string{}, res.Records...)
	if res.Denominator > 0 {
		v := res.Numerator / res.Denominator
		res.Value = &v
	}
	return res, nil
}
