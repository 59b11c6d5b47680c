package complaint_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
)

// given rebuilds a complaint from history or fails the test.
func given(t *testing.T, history ...event.Payload) *complaint.Complaint {
	t.Helper()
	c, err := complaint.FromHistory(history)
	if err != nil {
		t.Fatalf("given: %v", err)
	}
	return c
}

func TestDeadlineByCategory(t *testing.T) {
	t.Parallel()
	for cat, want := range map[string]time.Duration{"漏水": 24 * time.Hour, "电梯": 24 * time.Hour, "安全": 24 * time.Hour,
		"门禁": 24 * time.Hour, "噪音": 72 * time.Hour, "绿化": 72 * time.Hour} {
		if got := complaint.DeadlineFor(cat, t0); !got.Equal(t0.Add(want)) {
			t.Errorf("R-C2 deadline of %s = %v, want registration + %v", cat, got, want)
		}
	}
	leak := registered
	leak.Category = "漏水"
	if c := given(t, leak); !c.Deadline().Equal(t0.Add(24 * time.Hour)) {
		t.Fatalf("a leak complaint's deadline = %v", c.Deadline())
	}
}

func TestOverdue(t *testing.T) {
	t.Parallel()
	deadline := t0.Add(72 * time.Hour) // registered is a noise complaint
	late := deadline.Add(time.Minute)
	explainedInTime := complaint.DelayExplained{Reason: "等待物业公司审批", ExpectedBy: deadline.Add(48 * time.Hour), At: t0.Add(time.Hour)}
	explainedLate := complaint.DelayExplained{Reason: "等待审批", ExpectedBy: late.Add(48 * time.Hour), At: deadline.Add(time.Second)}
	tests := []struct {
		name  string
		given []event.Payload
		now   time.Time
		then  []event.Payload
	}{
		{"R-C2 unresolved past the deadline without an explanation", []event.Payload{registered, dispatched}, late,
			[]event.Payload{complaint.Overdue{Deadline: deadline, Explained: false, At: late}}},
		{"R-C2 unresolved past the deadline, delay explained before it", []event.Payload{registered, dispatched, explainedInTime}, late,
			[]event.Payload{complaint.Overdue{Deadline: deadline, Explained: true, At: late}}},
		{"R-C2 an explanation after the deadline does not count", []event.Payload{registered, dispatched, explainedLate}, late.Add(time.Hour),
			[]event.Payload{complaint.Overdue{Deadline: deadline, Explained: false, At: late.Add(time.Hour)}}},
		{"R-C2 not yet due", []event.Payload{registered}, deadline, nil},
		{"R-C2 resolved in time is never overdue", []event.Payload{registered, dispatched, resolved}, late, nil},
		{"R-C2 recorded once", []event.Payload{registered, complaint.Overdue{Deadline: deadline, At: late}}, late.Add(time.Hour), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(t, tt.given...)
			ok, err := c.RecordOverdue(tt.now)
			if err != nil || ok != (len(tt.then) > 0) {
				t.Fatalf("recorded %v, err %v", ok, err)
			}
			if got := c.Changes(); !reflect.DeepEqual(got, tt.then) && len(got)+len(tt.then) > 0 {
				t.Fatalf("then = %#v, want %#v", got, tt.then)
			}
		})
	}
}

func TestWhoResolvesAndCloses(t *testing.T) {
	t.Parallel()
	important := complaint.MarkedImportant{Reason: "业主为人大代表", At: t0}
	tests := []struct {
		name  string
		given []event.Payload
		by    complaint.Level
		err   error
	}{
		{"a butler resolves an ordinary complaint", []event.Payload{registered, dispatched}, complaint.LevelButler, nil},
		{"R-C5 a butler cannot resolve an important complaint", []event.Payload{registered, important, dispatched}, complaint.LevelButler, complaint.ErrImportantNeedsSupervisor},
		{"R-C5 the supervisor resolves an important complaint", []event.Payload{registered, important, dispatched}, complaint.LevelSupervisor, nil},
		{"R-C5 a butler cannot resolve one escalated to the supervisor", []event.Payload{registered, dispatched, toSup}, complaint.LevelButler, complaint.ErrEscalatedAboveCaller},
		{"R-C5 a butler cannot resolve one escalated to the project manager", []event.Payload{registered, dispatched, toSup, toPM}, complaint.LevelButler, complaint.ErrEscalatedAboveCaller},
		{"R-C5 a supervisor cannot resolve one escalated to the project manager", []event.Payload{registered, dispatched, toSup, toPM}, complaint.LevelSupervisor, complaint.ErrEscalatedAboveCaller},
		{"R-C5 the project manager resolves what was escalated to them", []event.Payload{registered, dispatched, toSup, toPM}, complaint.LevelProjectManager, nil},
		{"R-C5 a supervisor resolves one escalated to them", []event.Payload{registered, dispatched, toSup}, complaint.LevelSupervisor, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(t, tt.given...)
			if err := c.Resolve("已处理", true, "属实", tt.by, t0); !errors.Is(err, tt.err) {
				t.Fatalf("resolve: err = %v, want %v", err, tt.err)
			}
			// Closing follows the same rule.
			c = given(t, append(tt.given, resolved, visited)...)
			if err := c.Close(tt.by, t0); !errors.Is(err, tt.err) {
				t.Fatalf("close: err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestMarkImportant(t *testing.T) {
	t.Parallel()
	r := registration()
	r.Important, r.ImportantReason = true, "多次投诉未果"
	c, err := complaint.Register("c1", r, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Changes(); len(got) != 2 || got[1] != (complaint.MarkedImportant{Reason: "多次投诉未果", At: t0}) || !c.Important() {
		t.Fatalf("R-C5 important at registration: %#v", got)
	}
	r.ImportantReason = ""
	if _, err := complaint.Register("c1", r, t0); !errors.Is(err, complaint.ErrReasonMissing) {
		t.Fatalf("important without a reason: %v", err)
	}
	c = given(t, registered)
	if err := c.MarkImportant("媒体关注", t0); err != nil || !c.Important() {
		t.Fatalf("mark later: %v", err)
	}
	if err := c.MarkImportant("again", t0); !errors.Is(err, complaint.ErrAlreadyImportant) {
		t.Fatalf("marking twice: %v", err)
	}
}

func TestDailyReviews(t *testing.T) {
	t.Parallel()
	// Registered 2026-07-01 17:00 local; days needing a look: 07-02, 07-03, …
	day := func(d int, h int) time.Time { return time.Date(2026, 7, d, h, 0, 0, 0, complaint.Zone) }
	reg := registered
	reg.At = day(1, 17)
	reviewed := complaint.SupervisorReviewed{Day: "2026-07-02", Note: "督促工程部", At: day(2, 10)}

	c := given(t, reg, dispatched, reviewed)
	n, err := c.RecordMissedReviews(day(5, 8))
	if err != nil || n != 2 {
		t.Fatalf("R-C8 missed days = %d, %v; want 07-03 and 07-04", n, err)
	}
	want := []event.Payload{complaint.ReviewMissed{Day: "2026-07-03", At: day(5, 8)}, complaint.ReviewMissed{Day: "2026-07-04", At: day(5, 8)}}
	if !reflect.DeepEqual(c.Changes(), want) {
		t.Fatalf("then = %#v", c.Changes())
	}
	// Again: nothing more (recorded once); today is not judged until it ends.
	c = given(t, append([]event.Payload{reg, dispatched, reviewed}, want...)...)
	if n, _ := c.RecordMissedReviews(day(5, 23)); n != 0 {
		t.Fatalf("recorded again: %d", n)
	}
	// Resolved on 07-03: only 07-02 needed a look (done).
	res := resolved
	res.At = day(3, 9)
	c = given(t, reg, dispatched, reviewed, res)
	if n, _ := c.RecordMissedReviews(day(9, 8)); n != 0 {
		t.Fatalf("a resolved complaint's later days: %d", n)
	}
	// Only the last week is judged: a history read long after fills in no months.
	c = given(t, reg, dispatched)
	if n, _ := c.RecordMissedReviews(day(30, 8)); n != 7 {
		t.Fatalf("R-C8 days judged 29 days on = %d, want the last 7", n)
	}
	if first := c.Changes()[0].(complaint.ReviewMissed).Day; first != "2026-07-23" {
		t.Fatalf("oldest day judged %s", first)
	}
	// A review with a channel is also a contact filed like a follow-up.
	c = given(t, reg, dispatched)
	if err := c.Review("致电业主说明进度", complaint.ChannelPhone, day(2, 11)); err != nil {
		t.Fatal(err)
	}
	if p := c.PendingRecords(); len(p) != 1 || p[0].Kind != complaint.EntrySupervisorContact {
		t.Fatalf("the supervisor's contact is a record to file: %#v", p)
	}
	if err := c.Review(" ", "", day(2, 11)); !errors.Is(err, complaint.ErrNoteMissing) {
		t.Fatalf("a review without a note: %v", err)
	}
	if err := c.Review("x", "fax", day(2, 11)); !errors.Is(err, complaint.ErrUnknownChannel) {
		t.Fatalf("a review with an unknown channel: %v", err)
	}
}

func TestRecordsToFile(t *testing.T) {
	t.Parallel()
	call := complaint.CommunicationRecorded{Channel: complaint.ChannelPhone, Note: "告知进度", At: t0}
	c := given(t, registered, dispatched, call, resolved, visited, closed)
	p := c.PendingRecords()
	if len(p) != 2 || p[0].N != 1 || p[0].Note != "告知进度" || p[1].N != 2 || p[1].Kind != complaint.EntryReturnVisit {
		t.Fatalf("R-C6 records to file: %#v", p)
	}
	if err := c.RecordEntryFiled(1, "a1", complaint.EntryDocument("c1", 1), t0); err != nil {
		t.Fatalf("filing on a closed complaint: %v", err)
	}
	if p := c.PendingRecords(); len(p) != 1 || p[0].N != 2 {
		t.Fatalf("after filing #1: %#v", p)
	}
	if err := c.RecordEntryFiled(1, "a1", "x", t0); !errors.Is(err, complaint.ErrEntryFiled) {
		t.Fatalf("filing twice: %v", err)
	}
	if err := c.RecordEntryFiled(3, "a1", "x", t0); !errors.Is(err, complaint.ErrUnknownEntry) {
		t.Fatalf("filing an unknown record: %v", err)
	}
}

func TestResolvedV1ReadsAsValid(t *testing.T) {
	t.Parallel()
	p, err := complaint.Decode(complaint.TypeResolved, []byte(`{"resolution":"已修复","at":"2026-07-01T09:00:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := p.(complaint.Resolved); !r.Valid || r.Resolution != "已修复" || r.EventType() != complaint.TypeResolvedV2 {
		t.Fatalf("a v1 resolution upcast: %#v", r)
	}
}
