package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/projections"
)

// terms is a Query's Terms, written field by field.
type terms = map[string][]string

// before is a Date range: the field's time has passed at now.
func before(field string, now time.Time) []projections.Range {
	return []projections.Range{{Field: field, Max: now}}
}

// Rules are the program's time rules, in the order a tick runs them,
// each recording through h.
func Rules(h *commands.Handlers) []Rule {
	openVisit := func(source string) recorder {
		return func(ctx context.Context, id string) (bool, error) {
			r, err := h.Visit.OpenRequiredReturnVisit.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: source, ID: id})
			return r.Recorded, err
		}
	}
	return []Rule{
		{
			// R-A4: a held activity whose summary did not come within 3 days.
			Name:  "R-A4 activity summary overdue",
			Index: projections.ActivitiesIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.ActivityFieldStatus:         {"held"},
					projections.ActivityFieldSummaryOverdue: {"false"},
				}, Ranges: before(projections.ActivityFieldSummaryDueAt, now)}
			},
			Record: h.RecordActivitySummaryOverdue,
		},
		{
			// R-W3: not completed within 3 days and nobody spoke to the owner.
			Name:  "R-W3 work-order 3-day SLA",
			Index: projections.WorkOrdersIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.WorkOrderFieldStatus:            {"registered", "dispatched", "in_progress"},
					projections.WorkOrderFieldSLABreached:       {"false"},
					projections.WorkOrderFieldCommunicatedInSLA: {"false"},
				}, Ranges: before(projections.WorkOrderFieldSLADeadline, now)}
			},
			Record: h.RecordSLABreach,
		},
		{
			// R-W5: urgent repairs need their return visit within 24 h of completion.
			Name:  "R-W5 urgent repair 24 h return visit",
			Index: projections.WorkOrdersIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.WorkOrderFieldUrgent:             {"true"},
					projections.WorkOrderFieldUrgentVisited:      {"false"},
					projections.WorkOrderFieldReturnVisitOverdue: {"false"},
					projections.WorkOrderFieldStatus:             {"completed"},
				}, Ranges: before(projections.WorkOrderFieldReturnVisitDueAt, now)}
			},
			Record: h.RecordReturnVisitOverdue,
		},
		{
			// R-W5: a leak repair's after-rain visit within 3 days of the
			// first rain after the repair. The rain is in the rainy-day
			// calendar, not the read model: the query finds the leaks that
			// could be late (completed at least that long ago, no after-rain
			// visit) and the command decides with the calendar.
			Name:  "R-W5 leak repair after-rain return visit",
			Index: projections.WorkOrdersIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.WorkOrderFieldLeak:             {"true"},
					projections.WorkOrderFieldStatus:           {"completed"},
					projections.WorkOrderFieldAfterRainVisited: {"false"},
					projections.WorkOrderFieldAfterRainOverdue: {"false"},
				}, Ranges: before(projections.WorkOrderFieldCompletedAt, now.AddDate(0, 0, -workorder.AfterRainVisitWithinDays))}
			},
			Record: h.RecordAfterRainVisitOverdue,
		},
		{
			// R-K2: a key on loan past its due time.
			Name:  "R-K2 key loans overdue",
			Index: projections.KeysIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.KeyFieldOnLoan:      {"true"},
					projections.KeyFieldLoanOverdue: {"false"},
				}, Ranges: before(projections.KeyFieldDueAt, now)}
			},
			Record: h.RecordKeyLoanOverdue,
		},
		{
			Name: "R-K3 key reconciliation missed",
			Run:  keyReconciliationsMissed(h),
		},
		{
			Name: "R-K5 key loan forms filed",
			Run:  keyLoanForms(h),
		},
		{
			Name: "R-W8 work-order forms filed",
			Run:  workOrderForms(h),
		},
		{
			// R-M3: move-in documents go into the owner's archive.
			Name: "R-M3 move-in documents filed",
			Run:  moveInDocuments(h),
		},
		{
			// Each unpaid overdue bill's move into its next ageing bucket
			// (0–30, 31–90, 91–180, over 180 days past due).
			Name:  "fee arrears ageing",
			Index: projections.FeeBillsIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{projections.FeeBillFieldStatus: {"unpaid", "part_paid"}},
					Ranges: before(projections.FeeBillFieldNextAgeingAt, now)}
			},
			Record: h.RecordArrearsAgeing,
		},
		{
			// R-R3: every renovation started whose first unaccounted day of work
			// (the completion day included) has ended.
			Name:  "R-R3 renovation inspections missed",
			Index: projections.RenovationsIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{projections.RenovationFieldStatus: {"in_progress", "completed", "accepting", "closed"}},
					Ranges: before(projections.RenovationFieldNextInspectionCheckAt, now)}
			},
			Record: h.RecordMissedInspections,
		},
		{
			Name: "R-R6 renovation register checks short",
			Run:  renovationRegisterShort(h),
		},
		{
			// R-R7: a week of renovation work without a talk with the owner.
			Name:  "R-R7 renovation owner talks overdue",
			Index: projections.RenovationsIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.RenovationFieldStatus:      {"in_progress"},
					projections.RenovationFieldTalkOverdue: {"false"},
				}, Ranges: before(projections.RenovationFieldNextTalkDueAt, now)}
			},
			Record: h.RecordRenovationTalkOverdue,
		},
		{
			// R-V2: special weather makes extra services of vacant units due.
			Name: "R-V2 special weather vacant services due",
			Run:  vacantWeatherServicesDue(h),
		},
		{
			// R-V2: an extra service not done by its due time.
			Name:  "R-V2 special weather vacant services missed",
			Index: projections.VacantUnitsIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{projections.VacantUnitFieldWeatherOpen: {"true"}},
					Ranges: before(projections.VacantUnitFieldNextWeatherDueBy, now)}
			},
			Record: h.RecordVacantWeatherServicesMissed,
		},
		{
			// R-F4: a week that ended without a ledger reconciliation.
			Name: "R-F4 fee ledger weeks unreconciled",
			Run:  feeWeeksUnreconciled(h),
		},
		// R-H3: finished urgent and leak repairs need a return visit. One
		// rule each, so that ordinary repairs (most of them, never visited
		// by this rule) are not sent to the command again every tick.
		repairVisitsDue("R-H3 urgent repair return visits due", projections.WorkOrderFieldUrgent, openVisit("workorder")),
		repairVisitsDue("R-H3 leak repair return visits due", projections.WorkOrderFieldLeak, openVisit("workorder")),
		returnVisitsDue("R-H3 complaint return visits due", projections.ComplaintsIndex, func(time.Time) projections.Query {
			return projections.Query{Terms: terms{projections.ComplaintFieldStatus: {"resolved"}}}
		}, openVisit("complaint")),
		complaintOverdue(h), complaintReviewsMissed(h), complaintRecordsFiled(h), // R-C2, R-C8, R-C6: complaints.go
		returnVisitsDue("R-H3 fee collection visits due", projections.FeeBillsIndex, func(time.Time) projections.Query {
			return projections.Query{Terms: terms{projections.FeeBillFieldInArrears: {"true"}}}
		}, openVisit("fee")),
		{
			Name:  "R-H3 return visits overdue",
			Index: projections.ReturnVisitsIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{projections.ReturnVisitDueFieldStatus: {"open"}},
					Ranges: before(projections.ReturnVisitDueFieldDueBy, now)}
			},
			Record: func(ctx context.Context, id string) (bool, error) {
				r, err := h.Visit.MarkReturnVisitOverdue.Handle(ctx, commands.Meta{}, commands.MarkReturnVisitOverdue{DueID: id})
				return r.Recorded, err
			},
		},
		{
			Name: "R-V1 vacant-unit month end",
			Run:  vacantMonthsMissed(h),
		},
		{
			// R-D2: a calendar quarter ended without a check of the archive's catalogue.
			Name:  "R-D2 archive quarterly check missed",
			Index: projections.ArchivesIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{projections.ArchiveFieldStatus: {"in", "loan_requested", "on_loan"}},
					Ranges: before(projections.ArchiveFieldCheckDueBy, now)}
			},
			Record: h.RecordMissedArchiveChecks,
		},
		{
			Name: "R-S7 weekly talks missed",
			Run:  weeklyTalksMissed(h),
		},
		{
			Name: "R-S4 supervisor patrol weeks missed",
			Run:  supervisorPatrolWeeksMissed(h),
		},
		{
			Name: "R-F5 appraisals by the 30th",
			Run:  appraisalsOverdue(h),
		},
		{
			// R-S9: a found item still with its finder 24 h after registration.
			Name:  "R-S9 found property not handed in",
			Index: projections.FoundPropertyIndex,
			Query: func(now time.Time) projections.Query {
				return projections.Query{Terms: terms{
					projections.FoundPropertyFieldStatus:        {"found"},
					projections.FoundPropertyFieldHandInOverdue: {"false"},
				}, Ranges: before(projections.FoundPropertyFieldHandInDueAt, now)}
			},
			Record: func(ctx context.Context, id string) (bool, error) {
				r, err := h.Staff.RecordHandInOverdue.Handle(ctx, commands.Meta{}, commands.RecordHandInOverdue{ItemID: id})
				return r.Recorded, err
			},
		},
	}
}

// repairVisitsDue is the R-H3 rule of finished repairs marked kind (the
// work order's urgent or leak field) whose return visit is yet to be made.
func repairVisitsDue(name, kind string, record recorder) Rule {
	return returnVisitsDue(name, projections.WorkOrdersIndex, func(time.Time) projections.Query {
		return projections.Query{Terms: terms{
			projections.WorkOrderFieldStatus:        {"completed"},
			projections.WorkOrderFieldReturnVisited: {"false"},
			kind:                                    {"true"},
		}}
	}, record)
}

// returnVisitsDue is an R-H3 rule: the records q finds in index that have
// no required return visit open yet (the return-visits read model holds no
// due of their id) go to the domain, which opens one if it is owed. Those
// whose due is open are not sent again every tick while they wait for
// their visit (a bill stays in arrears for months); one the read model
// has not reached yet is, and the domain records nothing twice.
func returnVisitsDue(name, index string, q func(time.Time) projections.Query, record recorder) Rule {
	return Rule{Name: name, Run: func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		return recordPages(ctx, reads, index, q(now), func(hits []projections.Document) ([]string, recorder, error) {
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ID
			}
			open, err := reads.Search(ctx, projections.ReturnVisitsIndex, projections.Query{
				Terms: terms{projections.FieldID: ids}, Size: len(ids)})
			if err != nil {
				return nil, nil, err
			}
			opened := make(map[string]bool, len(open.Hits))
			for _, h := range open.Hits {
				opened[h.ID] = true
			}
			unopened := make([]string, 0, len(ids))
			for _, id := range ids {
				if !opened[id] {
					unopened = append(unopened, id)
				}
			}
			return unopened, record, nil
		})
	}}
}
