package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/apperr"
)

func TestActivityApprovalLeadAndRoles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start} // 2026-07-01
	propose := commands.NewProposeActivityHandler(s, c, nil)
	h := commands.NewHandlers(s, c, nil, testKeys()).Activity
	ops := commands.Principal{StaffID: "op1", Role: commands.RoleOperations, Project: "p1"}
	quality := commands.Principal{StaffID: "q1", Role: commands.RoleQuality, Project: "p1"}
	a, err := propose.Handle(ctx, as(butler), commands.ProposeActivity{Title: "中秋游园会", Date: "2026-07-20", Organisation: "客服部",
		Content: "猜灯谜", Publicity: "公告", BudgetFen: 500000, Risks: "人流", Large: true})
	if err != nil {
		t.Fatal(err)
	}
	var appErr *apperr.Error
	if _, err := h.Approve.Handle(ctx, as(butler), commands.ApproveActivity{ActivityID: a.ID}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("butler approving: %v", err)
	}
	if _, err := h.Approve.Handle(ctx, as(ops), commands.ApproveActivity{ActivityID: a.ID}); err != nil {
		t.Fatal(err)
	}
	c.Advance(5 * 24 * time.Hour) // 2026-07-06: 14 days before
	_, err = h.Approve.Handle(ctx, as(quality), commands.ApproveActivity{ActivityID: a.ID})
	if !asAppErr(err, &appErr) || appErr.Code != "approval_too_late" || !strings.Contains(appErr.Message, "2026-07-20") {
		t.Fatalf("R-A2 late approval: %v", err)
	}
	if _, err := h.Hold.Handle(ctx, as(butler), commands.HoldActivity{ActivityID: a.ID, Participants: 10}); !asAppErr(err, &appErr) || appErr.Code != "not_approved" {
		t.Fatalf("held without quality: %v", err)
	}
}

func TestActivityPlanCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)}
	h := commands.NewHandlers(s, c, nil, testKeys()).Activity
	ops := commands.Principal{StaffID: "op1", Role: commands.RoleOperations, Project: "p1"}
	var appErr *apperr.Error
	if _, err := h.SurveyPlan.Handle(ctx, as(supervisor), commands.SurveyActivityPlan{Year: 2026, Responses: 80, Findings: "x"}); !asAppErr(err, &appErr) || appErr.Code != "survey_not_december" {
		t.Fatalf("survey for this year: %v", err)
	}
	if _, err := h.SurveyPlan.Handle(ctx, as(supervisor), commands.SurveyActivityPlan{Year: 2027, Responses: 80, Findings: "亲子活动"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DraftPlan.Handle(ctx, as(supervisor), commands.DraftActivityPlan{Year: 2027, Activities: []string{"春节联欢", "端午包粽子"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ApprovePlan.Handle(ctx, as(supervisor), commands.ApproveActivityPlan{Year: 2027}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("supervisor approving the plan: %v", err)
	}
	if _, err := h.ApprovePlan.Handle(ctx, as(ops), commands.ApproveActivityPlan{Year: 2027}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.stream(activity.PlanStream("p1", 2027))); n != 3 {
		t.Fatalf("plan stream has %d events", n)
	}
}
