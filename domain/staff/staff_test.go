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
	oneToOne = staff.OneToOneHeld{Supervisor: "s-1", Minutes: 12, Notes: "谈心", Month: "2026-03", At: t0}
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
		{"R-S4 one-to-one of 12 minutes", []event.Payload{reg},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 12, "谈心", now) },
			[]event.Payload{staff.OneToOneHeld{Supervisor: "s-1", Minutes: 12, Notes: "谈心", Month: "2026-03", At: now}}, nil},
		{"R-S4 a 5-minute chat is not a one-to-one", []event.Payload{reg},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 5, "谈心", now) }, nil, staff.ErrOneToOneLength},
		{"R-S4 one a month", []event.Payload{reg, oneToOne},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 12, "again", now) }, nil, staff.ErrOneToOneThisMonth},
		{"R-S4 next month's one-to-one", []event.Payload{reg, oneToOne},
			func(s *staff.Staff) error { return s.HoldOneToOne("s-1", 15, "四月", now.AddDate(0, 1, 0)) },
			[]event.Payload{staff.OneToOneHeld{Supervisor: "s-1", Minutes: 15, Notes: "四月", Month: "2026-04", At: now.AddDate(0, 1, 0)}}, nil},
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
