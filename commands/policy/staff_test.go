package policy_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
	"github.com/butler-pm/butler/projections"
)

// with runs more read models in the rig (call it before any event).
func (r *rig) with(ps ...projections.Projection) *rig {
	r.t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, p := range ps {
		run := projections.NewRunner(p, r.reads, logger)
		if err := run.Init(r.ctx); err != nil {
			r.t.Fatal(err)
		}
		r.runs = append(r.runs, run)
	}
	return r
}

// supervisor (s1 of p1) is declared with the complaint rules' tests.

// decodeLast decodes the last event of stream into p.
func decodeLast(t *testing.T, r *rig, stream string, p any) {
	t.Helper()
	if err := json.Unmarshal(r.lastEvent(stream).Data, p); err != nil {
		t.Fatal(err)
	}
}

// onboardStaff registers, trains and onboards members at the rig's now.
func (r *rig) onboardStaff(members ...commands.RegisterStaff) {
	r.t.Helper()
	for _, m := range members {
		r.ok(r.h.Staff.Register.Handle(r.ctx, as(manager), m))
		r.ok(r.h.Staff.AttendTraining.Handle(r.ctx, as(supervisor), commands.AttendTraining{StaffID: m.StaffID, Session: "入职", Topic: "制度"}))
		r.ok(r.h.Staff.Assess.Handle(r.ctx, as(supervisor), commands.AssessStaff{StaffID: m.StaffID, Kind: "written", Onboarding: true, Score: 80}))
	}
}

// at moves the rig's clock to a moment in China.
func (r *rig) at(y int, m time.Month, d, hh, mm int) {
	r.clock.mu.Lock()
	r.clock.now = time.Date(y, m, d, hh, mm, 0, 0, staff.Zone)
	r.clock.mu.Unlock()
}

// R-S7 and R-S4: an ended week without a talk (each subordinate on duty
// before it began) or without the supervisor's patrol is recorded once;
// supervisors and quality get no talk; a patrol in the week, or a talk,
// keeps the week clean.
func TestWeeklyTalkAndPatrolRules(t *testing.T) {
	t.Parallel()
	r := newRig(t).with(projections.Staff, projections.Quality{})
	// 1 July 2026 (a Wednesday, week 27): the staff come on duty.
	r.onboardStaff(commands.RegisterStaff{StaffID: "s1", Name: "赵主管", Role: commands.RoleSupervisor},
		commands.RegisterStaff{StaffID: "b1", Name: "钱管家", Role: commands.RoleButler, District: "d1"},
		commands.RegisterStaff{StaffID: "b2", Name: "孙管家", Role: commands.RoleButler, District: "d1"},
		commands.RegisterStaff{StaffID: "q1", Name: "李品质", Role: commands.RoleQuality})
	r.at(2026, 7, 8, 10, 0) // week 28
	r.ok(r.h.Staff.HoldOneToOne.Handle(r.ctx, as(supervisor), commands.HoldOneToOne{StaffID: "b2", Minutes: 12, Notes: "本周工作"}))
	r.ok(r.h.Staff.RecordSupervisorPatrol.Handle(r.ctx, as(supervisor), commands.RecordSupervisorPatrol{Areas: []string{"大堂"}, Report: "自查：整洁"}))

	r.at(2026, 7, 13, 9, 0) // Monday of week 29: weeks 27 and 28 have ended
	// Week 27 began before anyone was on duty; in week 28 b1 had no talk.
	r.tick("R-S7 weekly talks missed", 1)
	r.tick("R-S7 weekly talks missed", 0)
	if got := r.last(staff.Stream("b1")); got != staff.TypeTalkMissed {
		t.Fatalf("b1's last event = %s", got)
	}
	if got := r.last(staff.Stream("b2")); got == staff.TypeTalkMissed {
		t.Fatal("b2 had their talk in week 28")
	}
	// s1 patrolled in week 28.
	r.tick("R-S4 supervisor patrol weeks missed", 0)

	r.at(2026, 7, 20, 0, 30) // week 29 ended half an hour ago: its patrols may still be on their way
	r.tick("R-S4 supervisor patrol weeks missed", 0)
	r.at(2026, 7, 20, 9, 0)
	r.tick("R-S4 supervisor patrol weeks missed", 1)
	r.tick("R-S4 supervisor patrol weeks missed", 0)
	e := r.lastEvent(staff.Stream("s1"))
	if e.Type != staff.TypePatrolWeekMissed || e.Meta.Actor.StaffID != "system" {
		t.Fatalf("s1's last event = %s by %s", e.Type, e.Meta.Actor.StaffID)
	}
	// Week 29: b1 and b2 without a talk.
	r.tick("R-S7 weekly talks missed", 2)
}

// R-F5: a butler's month not appraised by the end of the 30th is
// recorded, once; an appraised butler and other roles are not.
func TestAppraisalByThe30thRule(t *testing.T) {
	t.Parallel()
	r := newRig(t).with(projections.Staff)
	r.onboardStaff(commands.RegisterStaff{StaffID: "s1", Name: "赵主管", Role: commands.RoleSupervisor},
		commands.RegisterStaff{StaffID: "b1", Name: "钱管家", Role: commands.RoleButler, District: "d1"},
		commands.RegisterStaff{StaffID: "b2", Name: "孙管家", Role: commands.RoleButler, District: "d1"})
	r.at(2026, 7, 28, 10, 0)
	r.ok(r.h.Staff.Appraise.Handle(r.ctx, as(supervisor), commands.AppraiseStaff{StaffID: "b2", Month: "2026-07", Score: 88}))
	r.at(2026, 7, 30, 23, 59)
	r.tick("R-F5 appraisals by the 30th", 0)
	r.at(2026, 7, 31, 0, 1)
	r.tick("R-F5 appraisals by the 30th", 1)
	r.tick("R-F5 appraisals by the 30th", 0)
	if got := r.last(staff.Stream("b1")); got != staff.TypeAppraisalOverdue {
		t.Fatalf("b1's last event = %s", got)
	}
	// A late appraisal is taken, and says it was late.
	r.ok(r.h.Staff.Appraise.Handle(r.ctx, as(supervisor), commands.AppraiseStaff{StaffID: "b1", Month: "2026-07", Score: 75}))
	var a staff.Appraised
	decodeLast(t, r, staff.Stream("b1"), &a)
	if !a.Late {
		t.Fatalf("appraisal on the 31st = %+v", a)
	}
}

// R-S9: a found item still with its finder 24 hours after registration.
func TestFoundPropertyHandInRule(t *testing.T) {
	t.Parallel()
	r := newRig(t).with(projections.FoundProperty)
	kept := r.ok(r.h.Staff.RegisterFoundProperty.Handle(r.ctx, as(butler), commands.RegisterFoundProperty{Description: "钥匙串", Place: "5 栋电梯", FoundAt: start.Format(time.RFC3339)}))
	given := r.ok(r.h.Staff.RegisterFoundProperty.Handle(r.ctx, as(butler), commands.RegisterFoundProperty{Description: "雨伞", Place: "大堂", FoundAt: start.Format(time.RFC3339)}))
	r.ok(r.h.Staff.HandInFoundProperty.Handle(r.ctx, as(custodian), commands.HandInFoundProperty{ItemID: given}))
	r.clock.Advance(23 * time.Hour)
	r.tick("R-S9 found property not handed in", 0)
	r.clock.Advance(time.Hour + time.Minute)
	r.tick("R-S9 found property not handed in", 1)
	r.tick("R-S9 found property not handed in", 0)
	if got := r.last(lostproperty.Stream(kept)); got != lostproperty.TypeHandInOverdue {
		t.Fatalf("kept item's last event = %s", got)
	}
}
