package commandcentre_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
)

var (
	t0     = time.Date(2026, 3, 2, 22, 0, 0, 0, time.UTC)
	opened = cc.ShiftOpened{ShiftID: "n1", Project: "p1", Operator: "o-1", Night: true, At: t0}
	msg    = cc.MessageLogged{Message: cc.Message{ID: "m1", From: "3-2-501 王女士", Content: "楼道灯不亮", ReceivedAt: t0}, At: t0}
	msg2   = cc.MessageLogged{Message: cc.Message{ID: "m2", From: "5-1-101", Content: "噪音", ReceivedAt: t0}, At: t0}
	done   = cc.MessageHandled{MessageID: "m2", Result: "已劝导", At: t0}
	handed = cc.ShiftHandedOver{To: "o-2", MessageIDs: []string{"m1"}, At: t0}
)

func TestShiftRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(s *cc.Shift) error
		then  []event.Payload
		err   error
	}{
		{"R-N1 every message is logged", []event.Payload{opened},
			func(s *cc.Shift) error { return s.LogMessage("m1", "3-2-501 王女士", "楼道灯不亮", now) },
			[]event.Payload{cc.MessageLogged{Message: cc.Message{ID: "m1", From: "3-2-501 王女士", Content: "楼道灯不亮", ReceivedAt: now}, At: now}}, nil},
		{"a message says who and what", []event.Payload{opened},
			func(s *cc.Shift) error { return s.LogMessage("m1", "", "x", now) }, nil, cc.ErrMessageIncomplete},
		{"R-N1 a shift with an open message cannot close", []event.Payload{opened, msg, msg2, done},
			func(s *cc.Shift) error { return s.Close(now) }, nil, cc.ErrMessagesOpen},
		{"R-N1 handing over passes the open messages", []event.Payload{opened, msg, msg2, done},
			func(s *cc.Shift) error { return s.HandOver("o-2", now) },
			[]event.Payload{cc.ShiftHandedOver{To: "o-2", MessageIDs: []string{"m1"}, At: now}}, nil},
		{"R-N1 after the hand-over the shift closes", []event.Payload{opened, msg, msg2, done, handed},
			func(s *cc.Shift) error { return s.Close(now) }, []event.Payload{cc.ShiftClosed{At: now}}, nil},
		{"handled messages close the shift without a hand-over", []event.Payload{opened, msg2, done},
			func(s *cc.Shift) error { return s.Close(now) }, []event.Payload{cc.ShiftClosed{At: now}}, nil},
		{"handling an unknown message", []event.Payload{opened, msg},
			func(s *cc.Shift) error { return s.HandleMessage("m9", "x", now) }, nil, cc.ErrUnknownMessage},
		{"handling needs a result", []event.Payload{opened, msg},
			func(s *cc.Shift) error { return s.HandleMessage("m1", "", now) }, nil, cc.ErrResultMissing},
		{"a handed-over message is no longer this shift's", []event.Payload{opened, msg, handed},
			func(s *cc.Shift) error { return s.HandleMessage("m1", "x", now) }, nil, cc.ErrUnknownMessage},
		{"one hand-over per shift", []event.Payload{opened, handed},
			func(s *cc.Shift) error { return s.HandOver("o-3", now) }, nil, cc.ErrAlreadyHandedOver},
		{"a hand-over names the next operator", []event.Payload{opened},
			func(s *cc.Shift) error { return s.HandOver("", now) }, nil, cc.ErrNextOperatorMissing},
		{"a closed shift records nothing", []event.Payload{opened, cc.ShiftClosed{At: t0}},
			func(s *cc.Shift) error { return s.LogMessage("m3", "x", "y", now) }, nil, cc.ErrShiftClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := cc.ShiftFromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(s); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(s.Changes(), tt.then) {
				t.Fatalf("changes = %#v", s.Changes())
			}
		})
	}
}

// R-N1: the day shift takes the night's unhandled messages and must deal with them.
func TestDayShiftCarriesTheNightsMessages(t *testing.T) {
	t.Parallel()
	night, _ := cc.ShiftFromHistory([]event.Payload{opened, msg})
	if _, err := cc.OpenShift("d1", "p1", "o-2", false, night, t0); !errors.Is(err, cc.ErrPreviousNotHandedOver) {
		t.Fatalf("open before hand-over: %v", err)
	}
	night, _ = cc.ShiftFromHistory([]event.Payload{opened, msg, handed})
	day, err := cc.OpenShift("d1", "p1", "o-2", false, night, t0)
	if err != nil {
		t.Fatal(err)
	}
	got := day.Changes()[0].(cc.ShiftOpened)
	if got.Previous != "n1" || len(got.Carried) != 1 || got.Carried[0].ID != "m1" || got.Carried[0].FromShift != "n1" {
		t.Fatalf("opened = %+v", got)
	}
	if err := day.Close(t0); !errors.Is(err, cc.ErrMessagesOpen) {
		t.Fatalf("day close with the carried message open: %v", err)
	}
	if err := day.HandleMessage("m1", "已派维修", t0); err != nil {
		t.Fatal(err)
	}
	if err := day.Close(t0); err != nil {
		t.Fatal(err)
	}
}

func TestEmergencyFollowsItsProcedure(t *testing.T) {
	t.Parallel()
	if _, err := cc.ReportEmergency("e1", "p1", "d1", "flood", "B1", t0); !errors.Is(err, cc.ErrUnknownEmergency) {
		t.Fatalf("unknown type: %v", err)
	}
	for kind := range cc.Procedures {
		e, err := cc.ReportEmergency("e1", "p1", "d1", kind, "3号楼", t0)
		if err != nil {
			t.Fatal(err)
		}
		steps := e.Changes()[0].(cc.EmergencyReported).Steps
		if err := e.Close("结束", t0); !errors.Is(err, cc.ErrStepsOutstanding) {
			t.Fatalf("%s: close before steps: %v", kind, err)
		}
		if err := e.CompleteStep("dance", "", t0); !errors.Is(err, cc.ErrUnknownStep) {
			t.Fatalf("%s: unknown step: %v", kind, err)
		}
		for _, s := range steps {
			if err := e.CompleteStep(s, "", t0); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.CompleteStep(steps[0], "", t0); !errors.Is(err, cc.ErrStepDone) {
			t.Fatalf("step twice: %v", err)
		}
		if err := e.Close("", t0); !errors.Is(err, cc.ErrSummaryMissing) {
			t.Fatalf("no summary: %v", err)
		}
		if err := e.Close("已处置完毕", t0); err != nil {
			t.Fatal(err)
		}
		if err := e.CompleteStep(steps[0], "", t0); !errors.Is(err, cc.ErrEmergencyClosed) {
			t.Fatalf("after close: %v", err)
		}
	}
}

func TestDrillsAndHandoverChecks(t *testing.T) {
	t.Parallel()
	l, _ := cc.LogFromHistory("p1", nil)
	if err := l.RecordDrill("fire", 0, t0); !errors.Is(err, cc.ErrParticipantsMissing) {
		t.Fatalf("no participants: %v", err)
	}
	if err := l.RecordDrill("earthquake", 5, t0); !errors.Is(err, cc.ErrUnknownEmergency) {
		t.Fatalf("unknown drill: %v", err)
	}
	if err := l.RecordHandoverCheck("", true, "", t0); !errors.Is(err, cc.ErrShiftMissing) {
		t.Fatalf("check without shift: %v", err)
	}
	if err := l.RecordDrill("fire", 12, t0); err != nil {
		t.Fatal(err)
	}
	if err := l.RecordHandoverCheck("n1", false, "交接记录缺签字", t0); err != nil {
		t.Fatal(err)
	}
	want := []event.Payload{cc.DrillHeld{Type: "fire", Participants: 12, Month: "2026-03", At: t0},
		cc.HandoverChecked{ShiftID: "n1", Passed: false, Notes: "交接记录缺签字", Month: "2026-03", At: t0}}
	if !reflect.DeepEqual(l.Changes(), want) {
		t.Fatalf("changes = %#v", l.Changes())
	}
}
