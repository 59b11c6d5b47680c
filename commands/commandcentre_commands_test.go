package commands_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
)

func TestNightShiftHandsOverToTheDayShift(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	open := commands.NewOpenShiftHandler(s, c, nil)
	logMsg := commands.NewLogMessageHandler(s, c, nil)
	handle := commands.NewHandleMessageHandler(s, c, nil)
	handOver := commands.NewHandOverShiftHandler(s, c, nil)
	closeShift := commands.NewCloseShiftHandler(s, c, nil)
	op2 := operator
	op2.StaffID = "o2"

	var appErr *apperr.Error
	if _, err := open.Handle(ctx, as(butler), commands.OpenShift{Night: true}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("butler opening a shift: %v", err)
	}
	night, err := open.Handle(ctx, as(operator), commands.OpenShift{Night: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := logMsg.Handle(ctx, as(operator), commands.LogMessage{ShiftID: night.ID, From: "3-2-501", Content: "电梯异响"}); err != nil {
		t.Fatal(err)
	}
	recs := s.stream(commandcentre.ShiftStream(night.ID))
	var logged struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(recs[1].Data, &logged); err != nil || logged.ID == "" {
		t.Fatalf("message id: %s %v", recs[1].Data, err)
	}
	if _, err := closeShift.Handle(ctx, as(operator), commands.CloseShift{ShiftID: night.ID}); !asAppErr(err, &appErr) || appErr.Code != "messages_open" {
		t.Fatalf("close with an open message: %v", err)
	}
	if _, err := open.Handle(ctx, as(op2), commands.OpenShift{Previous: night.ID}); !asAppErr(err, &appErr) || appErr.Code != "previous_not_handed_over" {
		t.Fatalf("day shift before hand-over: %v", err)
	}
	if _, err := handOver.Handle(ctx, as(operator), commands.HandOverShift{ShiftID: night.ID, To: "o2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := closeShift.Handle(ctx, as(operator), commands.CloseShift{ShiftID: night.ID}); err != nil {
		t.Fatal(err)
	}
	day, err := open.Handle(ctx, as(op2), commands.OpenShift{Previous: night.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := handle.Handle(ctx, as(op2), commands.HandleMessage{ShiftID: day.ID, MessageID: logged.ID, Result: "已通知电梯维保"}); err != nil {
		t.Fatalf("day shift handles the carried message: %v", err)
	}
	if _, err := closeShift.Handle(ctx, as(op2), commands.CloseShift{ShiftID: day.ID}); err != nil {
		t.Fatal(err)
	}
}

func TestEmergencyAndDrillCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	report := commands.NewReportEmergencyHandler(s, c, nil)
	step := commands.NewCompleteEmergencyStepHandler(s, c, nil)
	closeE := commands.NewCloseEmergencyHandler(s, c, nil)
	drill := commands.NewRecordDrillHandler(s, c, nil)
	var appErr *apperr.Error
	if _, err := report.Handle(ctx, as(operator), commands.ReportEmergency{Type: "flood", Location: "B1", District: "d1"}); !asAppErr(err, &appErr) || appErr.Code != "unknown_emergency" {
		t.Fatalf("unknown type: %v", err)
	}
	e, err := report.Handle(ctx, as(operator), commands.ReportEmergency{Type: "elevator_entrapment", Location: "5号楼2梯", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := closeE.Handle(ctx, as(operator), commands.CloseEmergency{EmergencyID: e.ID, Summary: "x"}); !asAppErr(err, &appErr) || appErr.Code != "steps_outstanding" {
		t.Fatalf("close early: %v", err)
	}
	for _, st := range []string{"reassure_passengers", "call_elevator_maintenance", "dispatch_guard", "report_manager"} {
		if _, err := step.Handle(ctx, as(operator), commands.CompleteEmergencyStep{EmergencyID: e.ID, Step: st}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := closeE.Handle(ctx, as(operator), commands.CloseEmergency{EmergencyID: e.ID, Summary: "20 分钟解困"}); err != nil {
		t.Fatal(err)
	}
	if _, err := drill.Handle(ctx, as(butler), commands.RecordDrill{Type: "fire", Participants: 9}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("butler drill: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := drill.Handle(ctx, as(supervisor), commands.RecordDrill{Type: "fire", Participants: 9}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.stream(commandcentre.LogStream("p1"))); n != 2 {
		t.Fatalf("log has %d events", n)
	}
}
