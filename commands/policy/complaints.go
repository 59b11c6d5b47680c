package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// The complaint module's time rules (R-C2, R-C8, R-C6), listed in Rules.

// complaintOverdue is R-C2: unresolved past the deadline set at registration.
func complaintOverdue(h *commands.Handlers) Rule {
	return Rule{
		Name:  "R-C2 complaint overdue",
		Index: projections.ComplaintsIndex,
		Query: func(now time.Time) projections.Query {
			return projections.Query{Terms: terms{
				projections.ComplaintFieldStatus:  {"registered", "dispatched"},
				projections.ComplaintFieldOverdue: {"false"},
			}, Ranges: before(projections.ComplaintFieldDeadline, now)}
		},
		Record: h.RecordComplaintOverdue,
	}
}

// complaintReviewsMissed is R-C8: a day the unresolved complaint went
// without a supervisor's look.
func complaintReviewsMissed(h *commands.Handlers) Rule {
	return Rule{
		Name:  "R-C8 complaint daily review missed",
		Index: projections.ComplaintsIndex,
		Query: func(now time.Time) projections.Query {
			// Unresolved only: a day is judged when it ends, and no day
			// after the resolution needs a look.
			return projections.Query{Terms: terms{projections.ComplaintFieldStatus: {"registered", "dispatched"}},
				Ranges: before(projections.ComplaintFieldNextReviewCheckAt, now)}
		},
		Record: h.RecordMissedComplaintReviews,
	}
}

// complaintRecordsFiled is R-C6: communication records into the archive.
func complaintRecordsFiled(h *commands.Handlers) Rule {
	return Rule{Name: "R-C6 complaint records filed", Run: complaintRecords(h)}
}

// complaintRecords is R-C6's filing rule: every complaint with records
// not yet filed goes to the archive of its unit, as key loan forms do
// (keyforms.go). A unit without an archive leaves the records pending,
// which ?records_unfiled=true shows.
func complaintRecords(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, _ time.Time) (int, error) {
		return recordPages(ctx, reads, projections.ComplaintsIndex, projections.Query{
			Terms: terms{projections.ComplaintFieldRecordsUnfiled: {"true"}},
		}, func(hits []projections.Document) ([]string, recorder, error) {
			cs := make([]projections.Complaint, len(hits))
			units := map[string][]string{} // project → units of this page
			for i, hit := range hits {
				c, err := decode[projections.Complaint](hit)
				if err != nil {
					return nil, nil, err
				}
				cs[i] = c
				units[c.Project] = append(units[c.Project], c.Unit)
			}
			archives := map[[2]string]string{}
			for project, us := range units {
				found, err := unitArchives(ctx, reads, project, us)
				if err != nil {
					return nil, nil, err
				}
				for unit, id := range found {
					archives[[2]string{project, unit}] = id
				}
			}
			var ids []string
			archiveOf := map[string]string{}
			for _, c := range cs {
				if arc, ok := archives[[2]string{c.Project, c.Unit}]; ok {
					ids, archiveOf[c.ID] = append(ids, c.ID), arc
				}
			}
			return ids, func(ctx context.Context, id string) (bool, error) {
				return h.FileComplaintRecords(ctx, id, archiveOf[id])
			}, nil
		})
	}
}
