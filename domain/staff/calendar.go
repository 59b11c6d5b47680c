package staff

import (
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/localtime"
)

// Zone is China's fixed offset (UTC+8), the default projects' zone; the
// calendar itself follows the projects' zone (localtime, --timezone).
var Zone = time.FixedZone("CST", 8*3600)

// WeekOf is t's ISO week (2026-W10) in the projects' zone.
func WeekOf(t time.Time) string {
	y, w := localtime.In(t).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// MonthOf is t's month (2026-03) in the projects' zone.
func MonthOf(t time.Time) string { return localtime.Month(t) }

// WeekStart is the Monday 00:00 that starts week, or false if week is
// malformed.
func WeekStart(week string) (time.Time, bool) {
	var y, w int
	if _, err := fmt.Sscanf(week, "%4d-W%2d", &y, &w); err != nil || len(week) != 8 || w < 1 || w > 53 {
		return time.Time{}, false
	}
	// 4 January is always in ISO week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, localtime.Zone())
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
	if WeekOf(monday) != week {
		return time.Time{}, false
	}
	return monday, true
}

// WeekMonth is the month a week counts in: the month of its Thursday (as
// ISO weeks count in the year of their Thursday), so each week counts in
// one month.
func WeekMonth(week string) string {
	start, ok := WeekStart(week)
	if !ok {
		return ""
	}
	return MonthOf(start.AddDate(0, 0, 3))
}

// ParseMonth is the first instant of month (2026-03) in the projects' zone.
func ParseMonth(month string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01", month, localtime.Zone())
	if err != nil || len(month) != 7 {
		return time.Time{}, false
	}
	return t, true
}

// AppraisalDueDay is the day of the month by the end of which the month's
// appraisal is due (R-F5: 每月30日前; in February, its last day).
const AppraisalDueDay = 30

// AppraisalDue is the moment the month's appraisal is overdue: the end of
// the 30th (or of the month's last day, when shorter), or false if month
// is malformed.
func AppraisalDue(month string) (time.Time, bool) {
	start, ok := ParseMonth(month)
	if !ok {
		return time.Time{}, false
	}
	next := start.AddDate(0, 1, 0)
	due := start.AddDate(0, 0, AppraisalDueDay)
	if due.After(next) {
		due = next
	}
	return due, true
}
