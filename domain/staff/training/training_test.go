package training_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/training"
)

var (
	t0       = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00 in China
	sessions = []training.PlannedSession{
		{Topic: "BI 服务礼仪", Type: "simulation", PlannedOn: "2026-03-10", Audience: []string{"butler"}},
		{Topic: "消防器材使用", Type: "practical", PlannedOn: "2026-03-20", Audience: []string{"butler", "engineer"}},
	}
	drafted = training.Drafted{PlanID: "tp1", Project: "p1", Period: "2026-03", At: t0, Sessions: []training.PlannedSession{
		{SessionID: "1", Topic: "BI 服务礼仪", Type: "simulation", PlannedOn: "2026-03-10", Audience: []string{"butler"}},
		{SessionID: "2", Topic: "消防器材使用", Type: "practical", PlannedOn: "2026-03-20", Audience: []string{"butler", "engineer"}},
	}}
	approved = training.Approved{By: "s1", Role: "supervisor", At: t0}
	heldAt   = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	held1    = training.SessionHeld{SessionID: "1", HeldOn: "2026-03-10", Trainer: "s1", Attendees: []string{"b-001"}, At: heldAt}
)

func TestDraft(t *testing.T) {
	t.Parallel()
	p, err := training.Draft("tp1", "p1", "2026-03", sessions, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Changes(), []event.Payload{drafted}) {
		t.Fatalf("changes = %#v", p.Changes())
	}
	if _, err := training.Draft("tp2", "p1", "2026", sessions, t0); err != nil {
		t.Fatalf("a year's plan: %v", err)
	}
	bad := func(mod func(s *training.PlannedSession)) []training.PlannedSession {
		s := sessions[0]
		mod(&s)
		return []training.PlannedSession{s}
	}
	for _, c := range []struct {
		name     string
		period   string
		sessions []training.PlannedSession
		err      error
	}{
		{"no sessions", "2026-03", nil, training.ErrPlanIncomplete},
		{"a period that is neither a year nor a month", "2026-03-01", sessions, training.ErrPlanIncomplete},
		{"R-S3 a session type is written, practical or simulation", "2026-03", bad(func(s *training.PlannedSession) { s.Type = "lecture" }), training.ErrSessionIncomplete},
		{"a session names its audience", "2026-03", bad(func(s *training.PlannedSession) { s.Audience = nil }), training.ErrSessionIncomplete},
		{"a session has a date", "2026-03", bad(func(s *training.PlannedSession) { s.PlannedOn = "soon" }), training.ErrSessionIncomplete},
		{"a session falls in the period", "2026-03", bad(func(s *training.PlannedSession) { s.PlannedOn = "2026-04-01" }), training.ErrOutsidePeriod},
		{"session ids are unique", "2026-03", []training.PlannedSession{{SessionID: "a", Topic: "x", Type: "written", PlannedOn: "2026-03-01", Audience: []string{"butler"}},
			{SessionID: "a", Topic: "y", Type: "written", PlannedOn: "2026-03-02", Audience: []string{"butler"}}}, training.ErrDuplicateSession},
	} {
		if _, err := training.Draft("tp1", "p1", c.period, c.sessions, t0); !errors.Is(err, c.err) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.err)
		}
	}
}

func TestPlanRules(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 12, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(p *training.Plan) error
		then  []event.Payload
		err   error
	}{
		{"approved by a supervisor", []event.Payload{drafted},
			func(p *training.Plan) error { return p.Approve("s1", "supervisor", t0) }, []event.Payload{approved}, nil},
		{"approved by quality", []event.Payload{drafted},
			func(p *training.Plan) error { return p.Approve("q1", "quality", t0) }, []event.Payload{training.Approved{By: "q1", Role: "quality", At: t0}}, nil},
		{"a butler does not approve", []event.Payload{drafted},
			func(p *training.Plan) error { return p.Approve("b1", "butler", t0) }, nil, training.ErrApproverRole},
		{"approved once", []event.Payload{drafted, approved},
			func(p *training.Plan) error { return p.Approve("s1", "supervisor", t0) }, nil, training.ErrAlreadyApproved},
		{"sessions are held against an approved plan", []event.Payload{drafted},
			func(p *training.Plan) error {
				return p.RecordSession("1", "2026-03-10", "s1", []string{"b-001"}, "", now)
			}, nil, training.ErrNotApproved},
		{"a planned session held", []event.Payload{drafted, approved},
			func(p *training.Plan) error {
				return p.RecordSession("1", "2026-03-10", "s1", []string{"b-001"}, "", heldAt)
			}, []event.Payload{held1}, nil},
		{"only planned sessions", []event.Payload{drafted, approved},
			func(p *training.Plan) error {
				return p.RecordSession("9", "2026-03-10", "s1", []string{"b-001"}, "", now)
			}, nil, training.ErrUnknownSession},
		{"held once", []event.Payload{drafted, approved, held1},
			func(p *training.Plan) error {
				return p.RecordSession("1", "2026-03-11", "s1", []string{"b-001"}, "", now)
			}, nil, training.ErrSessionHeld},
		{"who attended", []event.Payload{drafted, approved},
			func(p *training.Plan) error { return p.RecordSession("2", "2026-03-11", "s1", nil, "", now) }, nil, training.ErrHeldIncomplete},
		{"not held in the future", []event.Payload{drafted, approved},
			func(p *training.Plan) error {
				return p.RecordSession("2", "2026-03-20", "s1", []string{"b-001"}, "", now)
			}, nil, training.ErrHeldInFuture},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := training.FromHistory(tc.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.when(p); !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if !reflect.DeepEqual(p.Changes(), tc.then) {
				t.Fatalf("changes = %#v, want %#v", p.Changes(), tc.then)
			}
		})
	}
	if _, err := training.FromHistory([]event.Payload{approved}); err == nil {
		t.Fatal("a plan without its draft rebuilt")
	}
}
