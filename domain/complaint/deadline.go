package complaint

import (
	"fmt"
	"slices"
	"time"
)

// R-C2: a complaint is answered fast; what cannot be solved in time is
// explained to the owner with the reason and the expected completion.
//
// The deadline is decided as the property company decides it, by what
// the complaint is about, from the moment it is registered:
//   - 24 hours for what harms or shuts people out: a leak (漏水), a lift
//     (电梯), safety (安全), the entrance control (门禁);
//   - 72 hours (3 days, as a repair's R-W3) for everything else.
//
// The deadline follows from the registration (category and time), so it
// is the same on every replay; the overdue event records the deadline it
// judged, so a later change of these windows leaves history as it was.

// UrgentWithin and StandardWithin are the response windows (R-C2).
const (
	UrgentWithin   = 24 * time.Hour
	StandardWithin = 72 * time.Hour
)

// UrgentCategories are answered within UrgentWithin.
var UrgentCategories = []string{"漏水", "电梯", "安全", "门禁"}

// Zone is the project's local time, in which days begin and end (the
// supervisors' daily look, R-C8).
var Zone = time.FixedZone("CST", 8*3600)

// DayOf is t's local date (YYYY-MM-DD).
func DayOf(t time.Time) string { return t.In(Zone).Format(time.DateOnly) }

// DeadlineFor is when a complaint of category registered at should be
// resolved (R-C2).
func DeadlineFor(category string, at time.Time) time.Time {
	if slices.Contains(UrgentCategories, category) {
		return at.Add(UrgentWithin)
	}
	return at.Add(StandardWithin)
}

// RecordOverdue records that the deadline passed with the complaint
// unresolved (R-C2), once; Explained in the event says whether the owner
// had been told of the delay before the deadline. It reports whether it
// recorded anything.
func (c *Complaint) RecordOverdue(now time.Time) (bool, error) {
	if c.status == StatusNew {
		return false, ErrNotRegistered
	}
	if c.overdue || (c.status != StatusRegistered && c.status != StatusDispatched) || !now.After(c.deadline) {
		return false, nil
	}
	c.record(Overdue{Deadline: c.deadline, Explained: c.explained, At: now})
	return true, nil
}

// returnVisitNote is how the return visit reads as a communication record.
func returnVisitNote(e ReturnVisited) string {
	note := fmt.Sprintf("回访：满意度 %d/5", e.Satisfaction)
	if e.Comment != "" {
		note += "，" + e.Comment
	}
	return note
}
