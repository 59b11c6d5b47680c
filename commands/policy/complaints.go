package policy

import (
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
