package complaint_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
)

var t0 = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

func registration() complaint.Registration {
	return complaint.Registration{
		Project: "p1", District: "d1", Unit: "3-2-1201",
		Category: "noise", Description: "楼上装修噪音", Soothing: "已致歉并承诺今日处理",
	}
}

var (
	registered = complaint.RegisteredV2{ComplaintID: "c1", Project: "p1", District: "d1", Unit: "3-2-1201",
		Category: "noise", Description: "楼上装修噪音",
		Soothing: "已致歉并承诺今日处理", At: t0}
	dispatched = complaint.Dispatched{Assignee: "staff-7", At: t0}
	resolved   = complaint.Resolved{Resolution: "已协调装修时间", Valid: true, ValidityReason: "装修噪音属实", At: t0}
	visited    = complaint.ReturnVisited{Channel: complaint.ChannelPhone, Satisfaction: 5, At: t0}
	closed     = complaint.Closed{At: t0}
	toSup      = complaint.Escalated{Level: complaint.LevelSupervisor, Reason: "重要投诉", At: t0}
	toPM       = complaint.Escalated{Level: complaint.LevelProjectManager, Reason: "主管无法处理", At: t0}
)

func TestRegister(t *testing.T) {
	t.Parallel()
	c, err := complaint.Register("c1", registration(), t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Changes(); !reflect.DeepEqual(got, []event.Payload{registered}) {
		t.Fatalf("changes = %#v", got)
	}
	if c.Status() != complaint.StatusRegistered || c.Level() != complaint.LevelButler || c.Project() != "p1" || c.District() != "d1" {
		t.Fatalf("state after register: %v %v %v %v", c.Status(), c.Level(), c.Project(), c.District())
	}

	noSoothing := registration()
	noSoothing.Soothing = "  "
	if _, err := complaint.Register("c1", noSoothing, t0); !errors.Is(err, complaint.ErrSoothingMissing) {
		t.Fatalf("register without soothing (R-C1): err = %v", err)
	}
	noUnit := registration()
	noUnit.Unit = ""
	if _, err := complaint.Register("c1", noUnit, t0); !errors.Is(err, complaint.ErrRegistrationIncomplete) {
		t.Fatalf("register without unit: err = %v", err)
	}
}

func TestFromHistoryNeedsRegistration(t *testing.T) {
	t.Parallel()
	if _, err := complaint.FromHistory([]event.Payload{dispatched}); !errors.Is(err, complaint.ErrNotRegistered) {
		t.Fatalf("err = %v", err)
	}
}

func TestComplaintRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(c *complaint.Complaint) error
		then  []event.Payload
		err   error
	}{
		{"dispatch a registered complaint", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.Dispatch("staff-7", now) },
			[]event.Payload{complaint.Dispatched{Assignee: "staff-7", At: now}}, nil},
		{"reassign a dispatched complaint", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error { return c.Dispatch("staff-8", now) },
			[]event.Payload{complaint.Dispatched{Assignee: "staff-8", At: now}}, nil},
		{"dispatch needs an assignee", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.Dispatch(" ", now) }, nil, complaint.ErrAssigneeMissing},
		{"dispatch after resolution is refused", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.Dispatch("staff-8", now) }, nil, complaint.ErrAlreadyResolved},

		{"R-C6 a follow-up call is kept", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error {
				return c.RecordCommunication(complaint.ChannelPhone, "已告知处理进度", now)
			},
			[]event.Payload{complaint.CommunicationRecorded{Channel: complaint.ChannelPhone, Note: "已告知处理进度", At: now}}, nil},
		{"R-C6 a follow-up after resolution is kept too", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error {
				return c.RecordCommunication(complaint.ChannelWeChat, "发送照片", now)
			},
			[]event.Payload{complaint.CommunicationRecorded{Channel: complaint.ChannelWeChat, Note: "发送照片", At: now}}, nil},
		{"R-C6 unknown channel", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.RecordCommunication("fax", "x", now) }, nil, complaint.ErrUnknownChannel},
		{"R-C6 empty note", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.RecordCommunication(complaint.ChannelSMS, "", now) }, nil, complaint.ErrNoteMissing},

		{"R-C2 delay explained with a future completion time", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error { return c.ExplainDelay("等待配件", now.Add(48*time.Hour), now) },
			[]event.Payload{complaint.DelayExplained{Reason: "等待配件", ExpectedBy: now.Add(48 * time.Hour), At: now}}, nil},
		{"R-C2 expected completion in the past is refused", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error { return c.ExplainDelay("等待配件", now.Add(-time.Minute), now) }, nil, complaint.ErrExpectedByNotFuture},
		{"R-C2 expected completion now is refused", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error { return c.ExplainDelay("等待配件", now, now) }, nil, complaint.ErrExpectedByNotFuture},
		{"R-C2 a delay needs a reason", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.ExplainDelay("", now.Add(time.Hour), now) }, nil, complaint.ErrReasonMissing},
		{"R-C2 no delay to explain after resolution", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.ExplainDelay("x", now.Add(time.Hour), now) }, nil, complaint.ErrAlreadyResolved},

		{"resolve a dispatched complaint", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error {
				return c.Resolve("已协调", true, "噪音属实", complaint.LevelButler, now)
			},
			[]event.Payload{complaint.Resolved{Resolution: "已协调", Valid: true, ValidityReason: "噪音属实", At: now}}, nil},
		{"R-C7 an invalid complaint is resolved with the reason", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error {
				return c.Resolve("已解释", false, "噪音来自市政施工，非物业责任", complaint.LevelButler, now)
			},
			[]event.Payload{complaint.Resolved{Resolution: "已解释", Valid: false, ValidityReason: "噪音来自市政施工，非物业责任", At: now}}, nil},
		{"R-C7 a resolution without the validity reason is refused", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error {
				return c.Resolve("已协调", true, " ", complaint.LevelButler, now)
			}, nil, complaint.ErrValidityReasonMissing},
		{"R-C1 resolving before an order is created is refused", []event.Payload{registered},
			func(c *complaint.Complaint) error {
				return c.Resolve("已协调", true, "r", complaint.LevelButler, now)
			}, nil, complaint.ErrNotDispatched},
		{"resolving twice is refused", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.Resolve("again", true, "r", complaint.LevelButler, now) }, nil, complaint.ErrAlreadyResolved},
		{"a resolution needs words", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error { return c.Resolve("", true, "r", complaint.LevelButler, now) }, nil, complaint.ErrResolutionMissing},

		{"R-C3 return visit after resolution", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error {
				return c.RecordReturnVisit(complaint.ChannelVisit, 4, "满意", now)
			},
			[]event.Payload{complaint.ReturnVisited{Channel: complaint.ChannelVisit, Satisfaction: 4, Comment: "满意", At: now}}, nil},
		{"R-C3 return visit before resolution is refused", []event.Payload{registered, dispatched},
			func(c *complaint.Complaint) error { return c.RecordReturnVisit(complaint.ChannelPhone, 5, "", now) }, nil, complaint.ErrNotResolved},
		{"R-C3 satisfaction 0 is refused", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.RecordReturnVisit(complaint.ChannelPhone, 0, "", now) }, nil, complaint.ErrSatisfactionRange},
		{"R-C3 satisfaction 6 is refused", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.RecordReturnVisit(complaint.ChannelPhone, 6, "", now) }, nil, complaint.ErrSatisfactionRange},
		{"R-C3 an SMS is not a return visit", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.RecordReturnVisit(complaint.ChannelSMS, 5, "", now) }, nil, complaint.ErrReturnVisitChannel},
		{"R-C3 a second return visit is refused", []event.Payload{registered, dispatched, resolved, visited},
			func(c *complaint.Complaint) error { return c.RecordReturnVisit(complaint.ChannelPhone, 5, "", now) }, nil, complaint.ErrReturnVisitDone},

		{"R-C1 close after the return visit", []event.Payload{registered, dispatched, resolved, visited},
			func(c *complaint.Complaint) error { return c.Close(complaint.LevelButler, now) },
			[]event.Payload{complaint.Closed{At: now}}, nil},
		{"R-C1 close without return visit is refused", []event.Payload{registered, dispatched, resolved},
			func(c *complaint.Complaint) error { return c.Close(complaint.LevelButler, now) }, nil, complaint.ErrReturnVisitMissing},
		{"R-C1 close right after registration is refused", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.Close(complaint.LevelButler, now) }, nil, complaint.ErrReturnVisitMissing},
		{"closing twice is refused", []event.Payload{registered, dispatched, resolved, visited, closed},
			func(c *complaint.Complaint) error { return c.Close(complaint.LevelButler, now) }, nil, complaint.ErrClosed},
		{"a follow-up on a closed complaint is refused", []event.Payload{registered, dispatched, resolved, visited, closed},
			func(c *complaint.Complaint) error { return c.RecordCommunication(complaint.ChannelPhone, "x", now) }, nil, complaint.ErrClosed},

		{"R-C5 first escalation goes to the supervisor", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.Escalate("重要投诉", now) },
			[]event.Payload{complaint.Escalated{Level: complaint.LevelSupervisor, Reason: "重要投诉", At: now}}, nil},
		{"R-C5 what the supervisor cannot handle goes to the project manager", []event.Payload{registered, toSup},
			func(c *complaint.Complaint) error { return c.Escalate("主管无法处理", now) },
			[]event.Payload{complaint.Escalated{Level: complaint.LevelProjectManager, Reason: "主管无法处理", At: now}}, nil},
		{"R-C5 nothing above the project manager", []event.Payload{registered, toSup, toPM},
			func(c *complaint.Complaint) error { return c.Escalate("again", now) }, nil, complaint.ErrTopLevel},
		{"R-C5 escalation needs a reason", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.Escalate("", now) }, nil, complaint.ErrReasonMissing},
		{"R-C5 a closed complaint is not escalated", []event.Payload{registered, dispatched, resolved, visited, closed},
			func(c *complaint.Complaint) error { return c.Escalate("x", now) }, nil, complaint.ErrClosed},

		{"R-C4 a group-complaint risk warns the project manager", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.FlagRisk("同楼栋多户投诉", now) },
			[]event.Payload{complaint.RiskFlagged{Reason: "同楼栋多户投诉", Warn: "project_manager", At: now}}, nil},
		{"R-C4 flagging twice is refused", []event.Payload{registered, complaint.RiskFlagged{Reason: "x", Warn: "project_manager", At: t0}},
			func(c *complaint.Complaint) error { return c.FlagRisk("y", now) }, nil, complaint.ErrRiskAlreadyFlagged},
		{"R-C4 a flag needs a reason", []event.Payload{registered},
			func(c *complaint.Complaint) error { return c.FlagRisk(" ", now) }, nil, complaint.ErrReasonMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := complaint.FromHistory(tt.given)
			if err != nil {
				t.Fatalf("given: %v", err)
			}
			err = tt.when(c)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := c.Changes(); !reflect.DeepEqual(got, tt.then) && !(len(got) == 0 && len(tt.then) == 0) {
				t.Fatalf("then = %#v, want %#v", got, tt.then)
			}
		})
	}
}

func TestLevelAndStatusFollowHistory(t *testing.T) {
	t.Parallel()
	c, err := complaint.FromHistory([]event.Payload{registered, dispatched, toSup, resolved})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status() != complaint.StatusResolved || c.Level() != complaint.LevelSupervisor || c.Assignee() != "staff-7" {
		t.Fatalf("status %v level %v assignee %v", c.Status(), c.Level(), c.Assignee())
	}
	if next, ok := c.NextLevel(); !ok || next != complaint.LevelProjectManager {
		t.Fatalf("next level = %v %v", next, ok)
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	all := []event.Payload{registered, dispatched,
		complaint.CommunicationRecorded{Channel: complaint.ChannelSMS, Note: "n", At: t0},
		complaint.DelayExplained{Reason: "r", ExpectedBy: t0.Add(time.Hour), At: t0},
		resolved, visited, closed, toSup,
		complaint.RiskFlagged{Reason: "r", Warn: "project_manager", At: t0},
		complaint.Overdue{Deadline: t0, Explained: true, At: t0}, complaint.MarkedImportant{Reason: "r", At: t0},
		complaint.SupervisorReviewed{Day: "2026-07-01", Note: "n", Channel: complaint.ChannelPhone, At: t0},
		complaint.ReviewMissed{Day: "2026-07-01", At: t0}, complaint.RecordFiled{Entry: 1, ArchiveID: "a", Document: "d", At: t0}}
	for _, p := range all {
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := complaint.Decode(p.EventType(), data)
		if err != nil {
			t.Fatalf("%s: %v", p.EventType(), err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Fatalf("%s: got %#v want %#v", p.EventType(), got, p)
		}
	}
	if _, err := complaint.Decode("complaint.unknown.v1", []byte(`{}`)); err == nil {
		t.Fatal("unknown type decoded")
	}
	if _, err := complaint.Decode(complaint.TypeResolved, []byte(`{`)); err == nil {
		t.Fatal("broken json decoded")
	}
}

// TestRegisteredV1StillRebuilds: registrations recorded before households
// (with the owner in plain text) still start a complaint.
func TestRegisteredV1StillRebuilds(t *testing.T) {
	t.Parallel()
	v1 := complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", Unit: "3-2-1201",
		Owner: "王女士", Phone: "13800000000", Category: "noise", Description: "楼上装修噪音", Soothing: "已致歉", At: t0}
	data, _ := json.Marshal(v1)
	p, err := complaint.Decode(complaint.TypeRegistered, data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := complaint.FromHistory([]event.Payload{p, dispatched})
	if err != nil || c.Status() != complaint.StatusDispatched || c.District() != "d1" {
		t.Fatalf("rebuild from a v1 registration: %v", err)
	}
}
