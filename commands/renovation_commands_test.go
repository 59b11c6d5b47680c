package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
)

func TestRenovationFlowAndRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	h := struct {
		file      commands.FileRenovationHandler
		doc       commands.FileRenovationDocumentHandler
		approve   commands.ApproveRenovationHandler
		site      commands.CheckRenovationSiteHandler
		brief     commands.BriefRenovationRulesHandler
		start     commands.StartRenovationHandler
		inspect   commands.InspectRenovationHandler
		violation commands.RecordRenovationViolationHandler
		rectify   commands.RectifyRenovationViolationHandler
		closeV    commands.CloseRenovationViolationHandler
		complete  commands.CompleteRenovationHandler
		accept    commands.InspectRenovationForAcceptanceHandler
		fix       commands.FixRenovationFindingHandler
		close     commands.CloseRenovationHandler
		missed    commands.RecordMissedInspectionsHandler
		register  commands.CheckRenovationRegisterHandler
		short     commands.RecordRegisterChecksShortHandler
	}{
		commands.NewFileRenovationHandler(s, c, nil, testKeys()), commands.NewFileRenovationDocumentHandler(s, c, nil),
		commands.NewApproveRenovationHandler(s, c, nil), commands.NewCheckRenovationSiteHandler(s, c, nil),
		commands.NewBriefRenovationRulesHandler(s, c, nil, testKeys()), commands.NewStartRenovationHandler(s, c, nil),
		commands.NewInspectRenovationHandler(s, c, nil), commands.NewRecordRenovationViolationHandler(s, c, nil),
		commands.NewRectifyRenovationViolationHandler(s, c, nil), commands.NewCloseRenovationViolationHandler(s, c, nil),
		commands.NewCompleteRenovationHandler(s, c, nil), commands.NewInspectRenovationForAcceptanceHandler(s, c, nil),
		commands.NewFixRenovationFindingHandler(s, c, nil), commands.NewCloseRenovationHandler(s, c, nil),
		commands.NewRecordMissedInspectionsHandler(s, c, nil), commands.NewCheckRenovationRegisterHandler(s, c, nil),
		commands.NewRecordRegisterChecksShortHandler(s, c, nil),
	}
	res, err := h.file.Handle(ctx, as(butler), commands.FileRenovation{Unit: "3-2-1201", Owner: "王女士", Contractor: "美家装饰", Description: "全屋翻新",
		Documents: []renovation.Document{{Kind: "application", Ref: "ZX-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	ok := func(_ commands.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.approve.Handle(ctx, as(manager), commands.ApproveRenovation{RenovationID: id})
	wantErr(t, err, apperr.Unprocessable, "documents_incomplete")
	for _, k := range []string{"quality_confirmation", "agreement", "fees", "department_review"} {
		ok(h.doc.Handle(ctx, as(butler), commands.FileRenovationDocument{RenovationID: id, Kind: k, Ref: k + "-1"}))
	}
	_, err = h.approve.Handle(ctx, as(butler), commands.ApproveRenovation{RenovationID: id})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	ok(h.approve.Handle(ctx, as(manager), commands.ApproveRenovation{RenovationID: id}))
	_, err = h.start.Handle(ctx, as(butler), commands.StartRenovation{RenovationID: id})
	wantErr(t, err, apperr.Unprocessable, "site_check_missing")
	ok(h.site.Handle(ctx, as(butler), commands.CheckRenovationSite{RenovationID: id, Note: "现场无异常"}))
	_, err = h.start.Handle(ctx, as(butler), commands.StartRenovation{RenovationID: id})
	wantErr(t, err, apperr.Unprocessable, "briefing_missing")
	ok(h.brief.Handle(ctx, as(butler), commands.BriefRenovationRules{RenovationID: id, Owner: "王女士", Contractor: "美家装饰"}))
	_, err = h.start.Handle(ctx, as(butlerD2), commands.StartRenovation{RenovationID: id})
	wantErr(t, err, apperr.Forbidden, "forbidden_scope")
	ok(h.start.Handle(ctx, as(butler), commands.StartRenovation{RenovationID: id}))

	check := map[string]bool{}
	for _, item := range renovation.Checklist {
		check[item] = true
	}
	ok(h.inspect.Handle(ctx, as(butler), commands.InspectRenovation{RenovationID: id, Checklist: check}))
	ok(h.violation.Handle(ctx, as(butler), commands.RecordRenovationViolation{RenovationID: id, Description: "擅自拆改阳台", Evidence: []string{"photo-17"}, ReportedTo: "s1"}))
	_, err = h.closeV.Handle(ctx, as(butler), commands.CloseRenovationViolation{RenovationID: id, ViolationID: "v1"})
	wantErr(t, err, apperr.Unprocessable, "violation_not_rectified")
	_, err = h.complete.Handle(ctx, as(butler), commands.CompleteRenovation{RenovationID: id})
	wantErr(t, err, apperr.Unprocessable, "violations_open")
	ok(h.rectify.Handle(ctx, as(butler), commands.RectifyRenovationViolation{RenovationID: id, ViolationID: "v1", Note: "已恢复原状"}))
	ok(h.closeV.Handle(ctx, as(supervisor), commands.CloseRenovationViolation{RenovationID: id, ViolationID: "v1"}))

	// Two days later with no inspection on the second day: one missed day.
	c.Advance(48 * time.Hour)
	if r, err := h.missed.Handle(ctx, commands.Meta{}, commands.RecordMissedInspections{RenovationID: id}); err != nil || !r.Recorded {
		t.Fatalf("missed: %+v %v", r, err)
	}
	ok(h.complete.Handle(ctx, as(butler), commands.CompleteRenovation{RenovationID: id}))
	_, err = h.accept.Handle(ctx, as(butler), commands.InspectRenovationForAcceptance{RenovationID: id, Findings: []string{"卫生间闭水"}})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	ok(h.accept.Handle(ctx, as(engineer), commands.InspectRenovationForAcceptance{RenovationID: id, Findings: []string{"卫生间闭水试验未做"}}))
	_, err = h.close.Handle(ctx, as(butler), commands.CloseRenovation{RenovationID: id})
	wantErr(t, err, apperr.Unprocessable, "not_accepted")
	ok(h.fix.Handle(ctx, as(engineer), commands.FixRenovationFinding{RenovationID: id, Finding: 0}))
	ok(h.close.Handle(ctx, as(butler), commands.CloseRenovation{RenovationID: id}))

	// R-R6: the supervisor checks the register; a short week is recorded once it ends.
	yes := true
	_, err = h.register.Handle(ctx, as(butler), commands.CheckRenovationRegister{Renovations: []string{id}, Matches: &yes})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	ok(h.register.Handle(ctx, as(supervisor), commands.CheckRenovationRegister{Renovations: []string{id}, Matches: &yes}))
	week := register.WeekOf(c.Now())
	c.Advance(8 * 24 * time.Hour)
	if r, err := h.short.Handle(ctx, commands.Meta{}, commands.RecordRegisterChecksShort{Project: "p1", Week: week}); err != nil || !r.Recorded {
		t.Fatalf("short: %+v %v", r, err)
	}
}
