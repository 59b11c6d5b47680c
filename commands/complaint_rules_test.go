package commands_test

import (
	"context"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/warning"
)

// dispatched registers a complaint as a butler and dispatches it.
func (h *complaintHandlers) dispatched(t *testing.T) string {
	t.Helper()
	id := h.registered(t)
	if _, err := h.dispatch.Handle(context.Background(), as(butler), commands.DispatchComplaint{ComplaintID: id, Assignee: "e-1"}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestResolveJudgesValidity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	id := h.dispatched(t)
	_, err := h.resolve.Handle(ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "已协调", ValidityReason: "属实"})
	if e := wantErr(t, err, apperr.BadRequest, "invalid_input"); e.Fields["valid"] == "" {
		t.Fatalf("R-C7 a resolution without the judgement: %v", e.Fields)
	}
	invalid := false
	_, err = h.resolve.Handle(ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "已解释", Valid: &invalid})
	if e := wantErr(t, err, apperr.BadRequest, "invalid_input"); e.Fields["validity_reason"] == "" {
		t.Fatalf("R-C7 a judgement without its reason: %v", e.Fields)
	}
	if _, err := h.resolve.Handle(ctx, as(butler), commands.ResolveComplaint{ComplaintID: id, Resolution: "已解释",
		Valid: &invalid, ValidityReason: "噪音来自市政施工，非物业责任"}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(complaint.Stream(id))
	if last := recs[len(recs)-1]; last.Type != complaint.TypeResolvedV2 || !contains(string(last.Data), `"valid":false`) {
		t.Fatalf("recorded %s %s", last.Type, last.Data)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestWhoResolvesImportantAndEscalatedComplaints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	markImportant := commands.NewMarkComplaintImportantHandler(h.store, h.clock, nil)
	resolve := func(p commands.Principal, id string) error {
		_, err := h.resolve.Handle(ctx, as(p), commands.ResolveComplaint{ComplaintID: id, Resolution: "已处理", Valid: &valid, ValidityReason: "属实"})
		return err
	}

	// R-C5: important, marked by the supervisor: the butler may not resolve it.
	imp := h.dispatched(t)
	_, err := markImportant.Handle(ctx, as(butler), commands.MarkComplaintImportant{ComplaintID: imp, Reason: "业主多次投诉"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	if _, err := markImportant.Handle(ctx, as(supervisor), commands.MarkComplaintImportant{ComplaintID: imp, Reason: "业主多次投诉"}); err != nil {
		t.Fatal(err)
	}
	_, err = markImportant.Handle(ctx, as(supervisor), commands.MarkComplaintImportant{ComplaintID: imp, Reason: "again"})
	wantErr(t, err, apperr.Unprocessable, "already_important")
	wantErr(t, resolve(butler, imp), apperr.Forbidden, "important_complaint_supervisor_only")
	if err := resolve(supervisor, imp); err != nil {
		t.Fatalf("the supervisor resolves an important complaint: %v", err)
	}
	if _, err := h.visit.Handle(ctx, as(butler), commands.ReturnVisitComplaint{ComplaintID: imp, Channel: "phone", Satisfaction: 5}); err != nil {
		t.Fatal(err)
	}
	_, err = h.close.Handle(ctx, as(butler), commands.CloseComplaint{ComplaintID: imp})
	wantErr(t, err, apperr.Forbidden, "important_complaint_supervisor_only")

	// Escalated to the supervisor: not the butler's; to the project manager: not the supervisor's either.
	esc := h.dispatched(t)
	if _, err := h.escalate.Handle(ctx, as(butler), commands.EscalateComplaint{ComplaintID: esc, Reason: "多次协调未果"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, resolve(butler, esc), apperr.Forbidden, "escalated_above_caller")
	if _, err := h.escalate.Handle(ctx, as(supervisor), commands.EscalateComplaint{ComplaintID: esc, Reason: "需项目经理出面"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, resolve(supervisor, esc), apperr.Forbidden, "escalated_above_caller")
	if err := resolve(manager, esc); err != nil {
		t.Fatalf("the project manager resolves what reached them: %v", err)
	}

	// Important at registration: the supervisor's decision, with a reason.
	reg := aComplaint
	reg.Important = true
	_, err = h.register.Handle(ctx, as(butler), reg)
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	reg.District = "d1"
	_, err = h.register.Handle(ctx, as(supervisor), reg)
	if e := wantErr(t, err, apperr.BadRequest, "invalid_input"); e.Fields["important_reason"] == "" {
		t.Fatalf("important without a reason: %v", e.Fields)
	}
	reg.ImportantReason = "涉及人身安全"
	res, err := h.register.Handle(ctx, as(supervisor), reg)
	if err != nil || res.Revision != 1 {
		t.Fatalf("register important: %+v %v", res, err)
	}
	if recs := h.store.stream(complaint.Stream(res.ID)); recs[1].Type != complaint.TypeMarkedImportant {
		t.Fatalf("second event %s", recs[1].Type)
	}
}

func TestSupervisorReview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	review := commands.NewReviewComplaintHandler(h.store, h.clock, nil)
	id := h.dispatched(t)
	_, err := review.Handle(ctx, as(butler), commands.ReviewComplaint{ComplaintID: id, Note: "x"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = review.Handle(ctx, as(supervisor), commands.ReviewComplaint{ComplaintID: id, Note: "x", Channel: "fax"})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	if _, err := review.Handle(ctx, as(supervisor), commands.ReviewComplaint{ComplaintID: id, Note: "致电业主说明进度", Channel: "phone"}); err != nil {
		t.Fatal(err)
	}
	recs := h.store.stream(complaint.Stream(id))
	if last := recs[len(recs)-1]; last.Type != complaint.TypeSupervisorReviewed || last.Meta.Actor.StaffID != "s1" ||
		!contains(string(last.Data), `"day":"2026-07-01"`) {
		t.Fatalf("R-C8 review recorded: %s %s by %s", last.Type, last.Data, last.Meta.Actor.StaffID)
	}
}

func TestAcknowledgeWarning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newComplaintHandlers()
	ack := commands.NewAcknowledgeWarningHandler(h.store, h.clock, nil)
	id := h.registered(t)
	flagged, err := h.flag.Handle(ctx, as(butler), commands.FlagComplaintRisk{ComplaintID: id, Reason: "多户联名投诉"})
	if err != nil {
		t.Fatal(err)
	}
	wid := warning.ID(complaint.Stream(id), flagged.Revision)
	otherPM := commands.Principal{StaffID: "m9", Role: commands.RoleProjectManager, Project: "p2"}

	_, err = ack.Handle(ctx, as(supervisor), commands.AcknowledgeWarning{WarningID: wid})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = ack.Handle(ctx, as(otherPM), commands.AcknowledgeWarning{WarningID: wid})
	wantErr(t, err, apperr.NotFound, "not_found")
	// The registration is no warning.
	_, err = ack.Handle(ctx, as(manager), commands.AcknowledgeWarning{WarningID: warning.ID(complaint.Stream(id), 0)})
	wantErr(t, err, apperr.NotFound, "not_found")
	_, err = ack.Handle(ctx, as(manager), commands.AcknowledgeWarning{WarningID: "nonsense"})
	wantErr(t, err, apperr.BadRequest, "invalid_id")

	h.clock.now = h.clock.now.Add(2 * 3600e9)
	res, err := ack.Handle(ctx, as(manager), commands.AcknowledgeWarning{WarningID: wid, Note: "明日约谈业主代表"})
	if err != nil || res.ID != wid || res.Revision != 0 {
		t.Fatalf("R-C4 acknowledge: %+v %v", res, err)
	}
	recs := h.store.stream(warning.Stream(wid))
	if len(recs) != 1 || recs[0].Type != warning.TypeAcknowledged || recs[0].Meta.Actor.StaffID != "m1" || recs[0].Meta.Project != "p1" ||
		!contains(string(recs[0].Data), `"by":"m1"`) || !contains(string(recs[0].Data), `"rule":"R-C4"`) {
		t.Fatalf("recorded %+v", recs)
	}
	_, err = ack.Handle(ctx, as(manager), commands.AcknowledgeWarning{WarningID: wid})
	wantErr(t, err, apperr.Unprocessable, "already_acknowledged")
}

// R-M4: a risk at the hand-over site is a warning the project manager acknowledges like any other.
func TestMoveInRiskWarnsTheProjectManager(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	open := commands.NewOpenMoveInHandler(s, c, nil, testKeys())
	flag := commands.NewFlagMoveInRiskHandler(s, c, nil)
	ack := commands.NewAcknowledgeWarningHandler(s, c, nil)
	res, err := open.Handle(ctx, as(butler), commands.OpenMoveIn{Unit: "3-2-1201", Owner: "王女士"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = flag.Handle(ctx, as(butler), commands.FlagMoveInRisk{MoveInID: res.ID})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	_, err = flag.Handle(ctx, as(engineer), commands.FlagMoveInRisk{MoveInID: res.ID, Reason: "x"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	flagged, err := flag.Handle(ctx, as(butler), commands.FlagMoveInRisk{MoveInID: res.ID, Reason: "同批次多户拒收，质疑外墙渗水"})
	if err != nil {
		t.Fatal(err)
	}
	wid := warning.ID(movein.Stream(res.ID), flagged.Revision)
	if _, err := ack.Handle(ctx, as(manager), commands.AcknowledgeWarning{WarningID: wid}); err != nil {
		t.Fatalf("acknowledge the hand-over site's warning: %v", err)
	}
	if recs := s.stream(warning.Stream(wid)); len(recs) != 1 || !contains(string(recs[0].Data), `"rule":"R-M4"`) {
		t.Fatalf("recorded %+v", recs)
	}
	// The opening is no warning.
	_, err = ack.Handle(ctx, as(manager), commands.AcknowledgeWarning{WarningID: warning.ID(movein.Stream(res.ID), 0)})
	wantErr(t, err, apperr.NotFound, "not_found")
}
