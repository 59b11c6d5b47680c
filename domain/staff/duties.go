package staff

import (
	"slices"
	"strings"
	"time"
)

// SubordinateRoles are the roles that report to the project's supervisor
// and get a weekly talk (R-S7). Supervisors and project managers lead;
// quality, operations and the read-only roles belong to other departments.
var SubordinateRoles = []string{"butler", "engineer", "cleaner", "operator", "cashier", "custodian", "archivist"}

// onDutyBefore reports whether the member was onboarded before t.
func (s *Staff) onDutyBefore(t time.Time) bool {
	return s.onboarded && s.onboardedAt.Before(t)
}

// RecordTalkMissed records that an ended week passed without a talk with
// this subordinate (R-S7). It records nothing (false) when nothing is
// due: the week has not ended, the member is not a subordinate or was
// not on duty when it began, a talk was held, or the week is recorded.
func (s *Staff) RecordTalkMissed(week string, now time.Time) (bool, error) {
	start, ok := WeekStart(week)
	if !ok || !slices.Contains(SubordinateRoles, s.role) || !s.onDutyBefore(start) ||
		now.Before(start.AddDate(0, 0, 7)) || s.talkWeeks[week] || s.talkMissed[week] {
		return false, nil
	}
	s.record(TalkMissed{Week: week, At: now})
	return true, nil
}

// RecordPatrolWeekMissed records that an ended week passed without this
// supervisor's patrol (R-S4: 每周一次, with a self-inspection report). The
// patrols are records of their own (package quality): the caller looked
// them up; this checks the rest and records each week once.
func (s *Staff) RecordPatrolWeekMissed(week string, now time.Time) (bool, error) {
	start, ok := WeekStart(week)
	if !ok || s.role != "supervisor" || !s.onDutyBefore(start) || now.Before(start.AddDate(0, 0, 7)) || s.patrolMissed[week] {
		return false, nil
	}
	s.record(PatrolWeekMissed{Week: week, At: now})
	return true, nil
}

// RecordProfile records what the supervisor knows of the member (R-S7).
func (s *Staff) RecordProfile(p ProfileRecorded, now time.Time) error {
	if blank(p.Supervisor) || blank(p.Background) || blank(p.Strengths) {
		return ErrProfileIncomplete
	}
	p.At = now
	s.record(p)
	return nil
}

// DeclareRelative records a relative among the owners of unit (R-S9:
// 亲属回避); work about that unit given to the member is then flagged.
func (s *Staff) DeclareRelative(unit, relation string, now time.Time) error {
	unit = strings.TrimSpace(unit)
	if unit == "" || blank(relation) {
		return ErrRelativeIncomplete
	}
	if s.relatives[unit] {
		return ErrRelativeDeclared
	}
	s.record(RelativeDeclared{Unit: unit, Relation: relation, At: now})
	return nil
}

// Relative reports whether the member declared a relative in unit.
func (s *Staff) Relative(unit string) bool { return s.relatives[unit] }

// Appraise records the month's appraisal (R-S1, R-F5): once a month, for
// a month that has begun, a score of 0–100; after the 30th it is late.
func (s *Staff) Appraise(appraiser, month string, score int, notes string, basis *AppraisalBasis, now time.Time) error {
	start, ok := ParseMonth(month)
	if !ok {
		return ErrMonthInvalid
	}
	if blank(appraiser) {
		return ErrNotesMissing
	}
	if now.Before(start) {
		return ErrAppraisalFuture
	}
	if score < 0 || score > 100 {
		return ErrScoreRange
	}
	if s.appraised[month] {
		return ErrAppraisedAlready
	}
	due, _ := AppraisalDue(month)
	s.record(Appraised{Month: month, Appraiser: appraiser, Score: score, Notes: notes, Late: !now.Before(due), Basis: basis, At: now})
	return nil
}

// RecordAppraisalOverdue records that a butler's month was not appraised
// by the 30th (R-F5: collection against plan feeds each butler's
// appraisal by the 30th). Nothing is due (false) for other roles, for a
// butler not on duty by then, before the due time, or once recorded.
func (s *Staff) RecordAppraisalOverdue(month string, now time.Time) (bool, error) {
	due, ok := AppraisalDue(month)
	if !ok {
		return false, ErrMonthInvalid
	}
	if s.role != "butler" || !s.onDutyBefore(due) || now.Before(due) || s.appraised[month] || s.appraisalOverdue[month] {
		return false, nil
	}
	s.record(AppraisalOverdue{Month: month, DueAt: due, At: now})
	return true, nil
}
