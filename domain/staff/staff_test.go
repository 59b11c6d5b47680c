package staff_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
)

var (
	t0       = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	reg      = staff.Registered{StaffID: "b-1", Name: "李管家", Role: "butler", Project: "p1", District: "d1", At: t0}
	trained  = staff.TrainingAttended{Session: "s1", Topic: "BI 行为规范", At: t0}
	onboard  = staff.Assessed{Kind: "written", Onboarding: true, Score: 80, Passed: true, At: t0}
	failed   = staff.Assessed{Kind: "written", Onboarding: true, Score: 40, Passed: false, At: t0}
	oneToOne = staff.OneToOneHeld{Supervisor: "s-1", Minutes: 12, Method: "face_to_face", Notes: "谈心", Week: "2026-W10", Month: "2026-03", At: t0}
)

func TestRegister(t *testing.T) {
	t.Parallel()
	s, err := staff.Register(staff.Registration{StaffID: "b-1", Name: "李管家", Role: "butler", Project: "p1", District: "d1", DistrictBound: true}, t0)
	if err != nil || !reflect.DeepEqual(s.Changes(), []event.Payload{reg}) {
		t.Fatalf("changes %#v err %v", s, err)
	}
	if _, err := staff.Register(staff.Registration{StaffID: "b-1", Name: "x", Role: "butler", Project: "p1", DistrictBound: true}, t0); !errors.Is(err, staff.ErrDistrictMissing) {
		t.Fatalf("err = %v", err)
	}
	if _, err := staff.Register(staff.Registration{StaffID: "b-1", Role: "butler", Project: "p1"}, t0); !errors.Is(err, staff.ErrRegistrationIncomplete) {
		t.Fatalf("err = %v", err)
	}
}

func TestStaffRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(s *staff.Staff) error
		then  []event.Payload
		err   error
	}{
		{"R-S2 a new member cannot be assigned work", []event.Payload{reg},
			func(s *staff.Staff) error { return s.Assignable() }, nil, staff.ErrNotOnboarded},
		{"R-S2 training alone is not enough", []event.Payload{reg, trained},
			func(s *staff.Staff) error { return s.Assignable() }, nil, staff.ErrNotOnboarded},
		{"R-S2 a failed onboarding assessment does not clear for duty", []event.Payload{reg, trained, failed},
			func(s *staff.Staff) error { return s.Assignable() }, nil, staff.ErrNotOnboarded},
		{"R-S2 trained and passed: assignable", []event.Payload{reg, trained, onboard},
			func(s *staff.Staff) error { return s.Assignable() }, nil, nil},
		{"R-S2 onboarding assessment before training is refused", []event.Payload{reg},
			func(s *staff.Staff) error { return s.Assess("written", true, 90, now) }, nil, staff.ErrNotTrained},
		{"R-S3 training attendance", []event.Payload{reg},
			func(s *staff.Staff) error { return s.AttendTraining("s2", "投诉处理", now) },
			[]event.Payload{staff.TrainingAttended{Session: "s2", Topic: "投诉处理", At: now}}, nil},
		{"R-S3 attendance names the session", []event.Payload{reg},
			func(s *staff.Staff) error { return s.AttendTraining("", "投诉处理", now) }, nil, staff.ErrSessionMissing},
		{"R-S3 assessment kinds: simulation passes at 60", []event.Payload{reg, trained},
			func(s *staff.Staff) error { return s.Assess("simulation", true, 60, now) },
			[]event.Payload{staff.Assessed{Kind: "simulation", Onboarding: true, Score: 60, Passed: true, At: now}}, nil},
		{"R-S3 unknown assessment kind", []event.Payload{reg, trained},
			func(s *staff.Staff) error { return s.Assess("oral", false, 60, now) }, nil, staff.ErrUnknownAssessment},
		{"R-S3 score range", []event.Payload{reg, trained},
			func(s *staff.Staff) error { return s.Assess("written", false, 101, now) }, nil, staff.ErrScoreRange},
		{"R-S1 mystery-customer result", []event.Payload{reg},
			func(s *staff.Staff) error { return s.CheckBehaviour("mystery_customer", false, "未主动问好", now) },
			[]event.Payload{staff.BehaviourChecked{Method: "mystery_customer", Passed: false, Notes: "未主动问好", At: now}}, nil},
		{"R-S1 unknown check method", []event.Payload{reg},
			func(s *staff.Staff) error { return s.CheckBehaviour("gossip", true, "", now) }, nil, staff.ErrUnknownCheckMethod},
		{"R-S7 talk of 12 minutes", []event.Payload{reg},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 12, "", "谈心", now) },
			[]event.Payload{staff.OneToOneHeld{Supervisor: "s-1", Minutes: 12, Method: "face_to_face", Notes: "谈心", Week: "2026-W10", Month: "2026-03", At: now}}, nil},
		{"R-S7 a 5-minute chat is not a talk", []event.Payload{reg},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 5, "", "谈心", now) }, nil, staff.ErrOneToOneLength},
		{"R-S7 how a talk is held", []event.Payload{reg},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 12, "gossip", "谈心", now) }, nil, staff.ErrUnknownTalkMethod},
		{"R-S7 one a week", []event.Payload{reg, oneToOne},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 12, "", "again", now.AddDate(0, 0, 4)) }, nil, staff.ErrOneToOneThisWeek},
		{"R-S7 next week's talk in the same month", []event.Payload{reg, oneToOne},
			func(s *staff.Staff) error {
				return s.HoldOneToOne("s-1", 15, "weekly_meeting", "周例会", now.AddDate(0, 0, 7))
			},
			[]event.Payload{staff.OneToOneHeld{Supervisor: "s-1", Minutes: 15, Method: "weekly_meeting", Notes: "周例会", Week: "2026-W11", Month: "2026-03", At: now.AddDate(0, 0, 7)}}, nil},
		{"R-S7 the week is China's: Sunday 23:30 in Shanghai is not next week", []event.Payload{reg, oneToOne},
			func(s *staff.Staff) error {
				return s.HoldOneToOne("s-1", 12, "", "周日晚", time.Date(2026, 3, 8, 15, 30, 0, 0, time.UTC))
			}, nil, staff.ErrOneToOneThisWeek},
		{"R-S7 knowing a subordinate needs background and strengths", []event.Payload{reg},
			func(s *staff.Staff) error {
				return s.RecordProfile(staff.ProfileRecorded{Supervisor: "s-1", Background: "本地人，已婚"}, now)
			}, nil, staff.ErrProfileIncomplete},
		{"R-S7 a subordinate's profile", []event.Payload{reg},
			func(s *staff.Staff) error {
				return s.RecordProfile(staff.ProfileRecorded{Supervisor: "s-1", Background: "本地人，已婚", Strengths: "耐心"}, now)
			},
			[]event.Payload{staff.ProfileRecorded{Supervisor: "s-1", Background: "本地人，已婚", Strengths: "耐心", At: now}}, nil},
		{"R-S9 a declared relative", []event.Payload{reg},
			func(s *staff.Staff) error { return s.DeclareRelative("3-2-501", "父母", now) },
			[]event.Payload{staff.RelativeDeclared{Unit: "3-2-501", Relation: "父母", At: now}}, nil},
		{"R-S9 a relative names the unit", []event.Payload{reg},
			func(s *staff.Staff) error { return s.DeclareRelative(" ", "父母", now) }, nil, staff.ErrRelativeIncomplete},
		{"R-S9 declared once", []event.Payload{reg, staff.RelativeDeclared{Unit: "3-2-501", Relation: "父母", At: t0}},
			func(s *staff.Staff) error { return s.DeclareRelative("3-2-501", "兄弟", now) }, nil, staff.ErrRelativeDeclared},
		{"R-F5 appraisal by the 30th is on time", []event.Payload{reg},
			func(s *staff.Staff) error { return s.Appraise("s-1", "2026-03", 88, "收费达成 95%", nil, now) },
			[]event.Payload{staff.Appraised{Month: "2026-03", Appraiser: "s-1", Score: 88, Notes: "收费达成 95%", At: now}}, nil},
		{"R-F5 appraisal on the 31st is late", []event.Payload{reg},
			func(s *staff.Staff) error {
				return s.Appraise("s-1", "2026-03", 88, "", nil, time.Date(2026, 3, 31, 9, 0, 0, 0, staff.Zone))
			},
			[]event.Payload{staff.Appraised{Month: "2026-03", Appraiser: "s-1", Score: 88, Late: true, At: time.Date(2026, 3, 31, 9, 0, 0, 0, staff.Zone)}}, nil},
		{"R-F5 a month not yet begun is not appraised", []event.Payload{reg},
			func(s *staff.Staff) error { return s.Appraise("s-1", "2026-04", 88, "", nil, now) }, nil, staff.ErrAppraisalFuture},
		{"R-F5 one appraisal a month", []event.Payload{reg, staff.Appraised{Month: "2026-03", Appraiser: "s-1", Score: 70, At: t0}},
			func(s *staff.Staff) error { return s.Appraise("s-1", "2026-03", 90, "", nil, now) }, nil, staff.ErrAppraisedAlready},
		{"R-F5 month format", []event.Payload{reg},
			func(s *staff.Staff) error { return s.Appraise("s-1", "2026-3", 90, "", nil, now) }, nil, staff.ErrMonthInvalid},
		{"R-S5 a published reward", []event.Payload{reg},
			func(s *staff.Staff) error { return s.PublishSanction("reward", "业主表扬", 200, now) },
			[]event.Payload{staff.SanctionPublished{Kind: "reward", Reason: "业主表扬", Amount: 200, At: now}}, nil},
		{"R-S5 a sanction needs a reason", []event.Payload{reg},
			func(s *staff.Staff) error { return s.PublishSanction("penalty", "", 0, now) }, nil, staff.ErrUnknownSanction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := staff.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(s); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(s.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", s.Changes(), tt.then)
			}
		})
	}
}

func TestFromHistoryNeedsRegistration(t *testing.T) {
	t.Parallel()
	if _, err := staff.FromHistory([]event.Payload{trained}); !errors.Is(err, staff.ErrNotRegistered) {
		t.Fatalf("err = %v", err)
	}
}

// R-S7: old monthly one-to-ones stay readable, as talks of their week.
func TestOneToOneV1IsReadAsItsWeek(t *testing.T) {
	t.Parallel()
	p, err := staff.Decode(staff.TypeOneToOneHeldV1, []byte(`{"supervisor":"s-1","minutes":12,"notes":"谈心","month":"2026-03","at":"2026-03-08T17:00:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	o := p.(staff.OneToOneHeld)
	// 17:00 UTC on Sunday 8 March is Monday 9 March in China: week 11.
	if o.Week != "2026-W11" || o.Method != "face_to_face" || o.Month != "2026-03" {
		t.Fatalf("upcast = %+v", o)
	}
	s, err := staff.FromHistory([]event.Payload{reg, o})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HoldOneToOne("s-1", 12, "", "again", time.Date(2026, 3, 10, 9, 0, 0, 0, staff.Zone)); !errors.Is(err, staff.ErrOneToOneThisWeek) {
		t.Fatalf("a second talk in the v1 talk's week: %v", err)
	}
}

// R-S7 and R-S4: the weeks a time rule records as missed.
func TestMissedWeeks(t *testing.T) {
	t.Parallel()
	onboardedAt := time.Date(2026, 3, 1, 9, 0, 0, 0, staff.Zone) // a Sunday, week 9
	on := staff.Assessed{Kind: "written", Onboarding: true, Score: 80, Passed: true, At: onboardedAt}
	afterW10 := time.Date(2026, 3, 16, 0, 0, 0, 0, staff.Zone) // Monday of week 12
	supReg := staff.Registered{StaffID: "s-1", Name: "赵", Role: "supervisor", Project: "p1", At: t0}
	qaReg := staff.Registered{StaffID: "q-1", Name: "孙", Role: "quality", Project: "p1", At: t0}
	tests := []struct {
		name   string
		given  []event.Payload
		when   func(s *staff.Staff) (bool, error)
		record bool
	}{
		{"a butler's ended week without a talk", []event.Payload{reg, trained, on},
			func(s *staff.Staff) (bool, error) { return s.RecordTalkMissed("2026-W10", afterW10) }, true},
		{"a week with a talk", []event.Payload{reg, trained, on, oneToOne},
			func(s *staff.Staff) (bool, error) { return s.RecordTalkMissed("2026-W10", afterW10) }, false},
		{"a week not yet ended", []event.Payload{reg, trained, on},
			func(s *staff.Staff) (bool, error) {
				return s.RecordTalkMissed("2026-W10", time.Date(2026, 3, 8, 23, 59, 0, 0, staff.Zone))
			}, false},
		{"the week the member came on duty", []event.Payload{reg, trained, on},
			func(s *staff.Staff) (bool, error) { return s.RecordTalkMissed("2026-W09", afterW10) }, false},
		{"a member never onboarded", []event.Payload{reg, trained},
			func(s *staff.Staff) (bool, error) { return s.RecordTalkMissed("2026-W10", afterW10) }, false},
		{"recorded once", []event.Payload{reg, trained, on, staff.TalkMissed{Week: "2026-W10", At: afterW10}},
			func(s *staff.Staff) (bool, error) { return s.RecordTalkMissed("2026-W10", afterW10) }, false},
		{"quality is not the supervisor's subordinate", []event.Payload{qaReg, trained, on},
			func(s *staff.Staff) (bool, error) { return s.RecordTalkMissed("2026-W10", afterW10) }, false},
		{"a supervisor's week without a patrol", []event.Payload{supReg, trained, on},
			func(s *staff.Staff) (bool, error) { return s.RecordPatrolWeekMissed("2026-W10", afterW10) }, true},
		{"only supervisors patrol", []event.Payload{reg, trained, on},
			func(s *staff.Staff) (bool, error) { return s.RecordPatrolWeekMissed("2026-W10", afterW10) }, false},
		{"R-F5 a butler's month not appraised by the 30th", []event.Payload{reg, trained, on},
			func(s *staff.Staff) (bool, error) {
				return s.RecordAppraisalOverdue("2026-03", time.Date(2026, 3, 31, 0, 0, 0, 0, staff.Zone))
			}, true},
		{"R-F5 not before the end of the 30th", []event.Payload{reg, trained, on},
			func(s *staff.Staff) (bool, error) {
				return s.RecordAppraisalOverdue("2026-03", time.Date(2026, 3, 30, 23, 59, 0, 0, staff.Zone))
			}, false},
		{"R-F5 February's is due at its last day's end", []event.Payload{reg, trained, staff.Assessed{Kind: "written", Onboarding: true, Score: 80, Passed: true, At: t0.AddDate(0, -2, 0)}},
			func(s *staff.Staff) (bool, error) {
				return s.RecordAppraisalOverdue("2026-02", time.Date(2026, 3, 1, 0, 0, 0, 0, staff.Zone))
			}, true},
		{"R-F5 appraised in time", []event.Payload{reg, trained, on, staff.Appraised{Month: "2026-03", Appraiser: "s-1", Score: 80, At: t0}},
			func(s *staff.Staff) (bool, error) {
				return s.RecordAppraisalOverdue("2026-03", time.Date(2026, 4, 1, 0, 0, 0, 0, staff.Zone))
			}, false},
		{"R-F5 applies to butlers", []event.Payload{supReg, trained, on},
			func(s *staff.Staff) (bool, error) {
				return s.RecordAppraisalOverdue("2026-03", time.Date(2026, 4, 1, 0, 0, 0, 0, staff.Zone))
			}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := staff.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.when(s)
			if err != nil || got != tt.record || (len(s.Changes()) == 1) != tt.record {
				t.Fatalf("recorded %v (%d changes) err %v, want %v", got, len(s.Changes()), err, tt.record)
			}
		})
	}
}

func TestCalendar(t *testing.T) {
	t.Parallel()
	for week, month := range map[string]string{"2026-W10": "2026-03", "2026-W14": "2026-04", "2026-W53": "2026-12", "2027-W01": "2027-01", "2026-W01": "2026-01"} {
		if got := staff.WeekMonth(week); got != month {
			t.Errorf("WeekMonth(%s) = %s, want %s", week, got, month)
		}
	}
	if _, ok := staff.WeekStart("2026-W54"); ok {
		t.Error("2026 has no week 54")
	}
	if due, _ := staff.AppraisalDue("2026-02"); !due.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, staff.Zone)) {
		t.Errorf("February due %s", due)
	}
	if due, _ := staff.AppraisalDue("2026-03"); !due.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, staff.Zone)) {
		t.Errorf("March due %s", due)
	}
}
