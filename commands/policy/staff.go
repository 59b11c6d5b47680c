package policy

import (
	"context"
	"slices"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/projections"
)

// The staff rules walk ended weeks and months, like the rules of
// windows.go: a program stopped over a week or month end still records it.

// staffWeeksWindow is how many ended weeks the weekly staff rules look back.
const staffWeeksWindow = 2

// patrolGrace is how long after a week ends its patrols are looked for:
// a patrol recorded in the week's last minute reaches the quality read
// model within a second, and this leaves it far more.
const patrolGrace = time.Hour

// endedWeeks are the last staffWeeksWindow weeks ended by now - grace.
func endedWeeks(now time.Time, grace time.Duration) []string {
	var weeks []string
	for back := staffWeeksWindow; back >= 1; back-- {
		week := staff.WeekOf(now.Add(-grace).AddDate(0, 0, -7*back))
		weeks = append(weeks, week)
	}
	return weeks
}

// onboarded is the staff register's onboarded members of roles.
func onboarded(roles ...string) projections.Query {
	return projections.Query{Terms: terms{projections.StaffFieldRole: roles, projections.StaffFieldOnboarded: {"true"}}}
}

// weeklyTalksMissed is R-S7: every onboarded subordinate's ended week
// without a talk (the domain decides what is due: on duty before the week
// began, no talk, not yet recorded; the register's weeks spare it the
// members already settled).
func weeklyTalksMissed(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		n := 0
		for _, week := range endedWeeks(now, 0) {
			k, err := unsettled(ctx, reads, onboarded(staff.SubordinateRoles...), func(m projections.StaffMember) bool {
				return slices.Contains(m.OneToOneWeeks, week) || slices.Contains(m.TalkMissedWeeks, week)
			}, func(ctx context.Context, id string) (bool, error) {
				r, err := h.Staff.RecordTalkMissed.Handle(ctx, commands.Meta{}, commands.RecordTalkMissed{StaffID: id, Week: week})
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

// unsettled records on every member of q that settled does not rule out.
func unsettled(ctx context.Context, reads Searcher, q projections.Query, settled func(projections.StaffMember) bool, record recorder) (int, error) {
	return recordPages(ctx, reads, projections.StaffIndex, q, func(hits []projections.Document) ([]string, recorder, error) {
		var due []string
		for _, hit := range hits {
			m, err := decode[projections.StaffMember](hit)
			if err != nil {
				return nil, nil, err
			}
			if !settled(m) {
				due = append(due, m.ID)
			}
		}
		return due, record, nil
	})
}

// supervisorPatrolWeeksMissed is R-S4: every onboarded supervisor's ended
// week with no patrol in the quality read model.
func supervisorPatrolWeeksMissed(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		n := 0
		for _, week := range endedWeeks(now, patrolGrace) {
			k, err := recordPages(ctx, reads, projections.StaffIndex, onboarded("supervisor"),
				func(hits []projections.Document) ([]string, recorder, error) {
					var due []string
					for _, hit := range hits {
						m, err := decode[projections.StaffMember](hit)
						if err != nil {
							return nil, nil, err
						}
						if slices.Contains(m.PatrolMissedWeeks, week) {
							continue
						}
						res, err := reads.Search(ctx, projections.QualityIndex, projections.Query{Size: 1, Terms: terms{
							projections.QualityFieldProject: {m.Project}, projections.QualityFieldKind: {"patrol"},
							projections.QualityFieldButler: {m.ID}, projections.QualityFieldWeek: {week}}})
						if err != nil {
							return nil, nil, err
						}
						if res.Total == 0 {
							due = append(due, m.ID)
						}
					}
					return due, func(ctx context.Context, id string) (bool, error) {
						r, err := h.Staff.RecordPatrolWeekMissed.Handle(ctx, commands.Meta{}, commands.RecordPatrolWeekMissed{StaffID: id, Week: week})
						return r.Recorded, err
					}, nil
				})
			n += k
			if err != nil {
				return n, err
			}
		}
		return n, nil
	}
}

// appraisalsOverdue is R-F5: every onboarded butler's month (this one and
// the last) whose appraisal was not recorded by the 30th.
func appraisalsOverdue(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		n := 0
		local := now.In(staff.Zone)
		thisMonth := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, staff.Zone)
		for back := 1; back >= 0; back-- {
			month := staff.MonthOf(thisMonth.AddDate(0, -back, 0))
			if due, _ := staff.AppraisalDue(month); now.Before(due) {
				continue
			}
			k, err := unsettled(ctx, reads, onboarded("butler"), func(m projections.StaffMember) bool {
				return slices.Contains(m.AppraisedMonths, month) || slices.Contains(m.OverdueMonths, month)
			}, func(ctx context.Context, id string) (bool, error) {
				r, err := h.Staff.RecordAppraisalOverdue.Handle(ctx, commands.Meta{}, commands.RecordAppraisalOverdue{StaffID: id, Month: month})
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
