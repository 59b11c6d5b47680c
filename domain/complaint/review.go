package complaint

import "time"

// R-C8: supervisors look at complaints every day (escalated or not),
// follow their progress and record their own contacts with the owner.
//
// Decided: each complaint needs a supervisor's look on every local day it
// was unresolved from start to end: the days after the day it was
// registered, before the day it was resolved. A look is a review recorded
// by a supervisor (or the project manager) that day; with a channel it is
// also a contact with the owner, filed like any other (R-C6). A time rule
// records review_missed for each such day that ended without one.

// Review records a supervisor's look at the complaint today (R-C8); with a
// channel the supervisor also spoke with the owner.
func (c *Complaint) Review(note string, ch Channel, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if blank(note) {
		return ErrNoteMissing
	}
	if ch != "" && !ch.Valid() {
		return ErrUnknownChannel
	}
	c.record(SupervisorReviewed{Day: DayOf(now), Note: note, Channel: ch, At: now})
	return nil
}

// ReviewWindowDays is how far back the rule judges ended days: a program
// stopped for a few days still records the days it missed, and one started
// on an old history does not fill in months of them.
const ReviewWindowDays = 7

// RecordMissedReviews records review_missed for every ended day, within
// the last ReviewWindowDays, that needed a supervisor's look and had none
// (R-C8), and returns how many.
func (c *Complaint) RecordMissedReviews(now time.Time) (int, error) {
	if c.status == StatusNew {
		return 0, ErrNotRegistered
	}
	today := DayOf(now)
	oldest := DayOf(now.AddDate(0, 0, -ReviewWindowDays))
	n := 0
	for _, day := range c.ReviewDays(now) {
		if day < today && day >= oldest && !c.accounted[day] {
			c.record(ReviewMissed{Day: day, At: now})
			n++
		}
	}
	return n, nil
}

// ReviewDays are the local days, until now, that need a supervisor's look:
// after the registration day and before the resolution day.
func (c *Complaint) ReviewDays(now time.Time) []string {
	var days []string
	start, _ := time.ParseInLocation(time.DateOnly, DayOf(c.registeredAt), Zone)
	end := DayOf(now)
	if c.resolvedDay != "" && c.resolvedDay < end {
		end = c.resolvedDay
	}
	for d := start.AddDate(0, 0, 1); ; d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		if day >= end {
			return days
		}
		days = append(days, day)
	}
}
