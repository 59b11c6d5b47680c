package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/visit"
)

// RecordVisit records a visit made by the caller: routine (against a
// plan), key_client (a supervisor's, R-H4; Festival marks the Spring
// Festival visit) or return (R-H3), with the opinions raised (R-H2).
type RecordVisit struct {
	Household string   `json:"household"`
	Kind      string   `json:"kind"`
	PlanID    string   `json:"plan_id,omitempty"`
	Festival  bool     `json:"festival,omitempty"`
	Notes     string   `json:"notes,omitempty"`
	Opinions  []string `json:"opinions,omitempty"`
	District  string   `json:"district,omitempty"`
}

type RecordVisitHandler struct{ d handlerDeps }

func NewRecordVisitHandler(store EventStore, clock Clock, ids IDGenerator) RecordVisitHandler {
	return RecordVisitHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordVisitHandler) Handle(ctx context.Context, m Meta, cmd RecordVisit) (Result, error) {
	bad := missing("household", cmd.Household, "kind", cmd.Kind)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, visitRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	v, err := visit.Record(visit.Visited{VisitID: id, Project: project, District: district, Visitor: m.Principal.StaffID,
		Role: m.Principal.Role, Household: cmd.Household, Kind: visit.Kind(cmd.Kind), PlanID: cmd.PlanID,
		Festival: cmd.Festival, Notes: cmd.Notes, Opinions: cmd.Opinions, At: now})
	if err != nil {
		return Result{}, domainError(err, visitCodes)
	}
	rev, err := h.d.appendChanges(ctx, visit.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, v.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// RectifyOpinion records what was done about opinion Opinion (0-based).
type RectifyOpinion struct {
	VisitID string `json:"-"`
	Opinion int    `json:"opinion"`
	Action  string `json:"action"`
}

type RectifyOpinionHandler struct{ d handlerDeps }

func NewRectifyOpinionHandler(store EventStore, clock Clock, ids IDGenerator) RectifyOpinionHandler {
	return RectifyOpinionHandler{newHandlerDeps(store, clock, ids)}
}

func (h RectifyOpinionHandler) Handle(ctx context.Context, m Meta, cmd RectifyOpinion) (Result, error) {
	return updateVisit(ctx, h.d, m, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.Rectify(cmd.Opinion, cmd.Action, now)
	})
}

// FeedBackOpinion records that the owner was told (R-H2).
type FeedBackOpinion struct {
	VisitID string `json:"-"`
	Opinion int    `json:"opinion"`
	Channel string `json:"channel"`
	Note    string `json:"note,omitempty"`
}

type FeedBackOpinionHandler struct{ d handlerDeps }

func NewFeedBackOpinionHandler(store EventStore, clock Clock, ids IDGenerator) FeedBackOpinionHandler {
	return FeedBackOpinionHandler{newHandlerDeps(store, clock, ids)}
}

func (h FeedBackOpinionHandler) Handle(ctx context.Context, m Meta, cmd FeedBackOpinion) (Result, error) {
	return updateVisit(ctx, h.d, m, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.FeedBack(cmd.Opinion, cmd.Channel, cmd.Note, now)
	})
}

// WarnCommonProblem warns the project manager at once (R-H5).
type WarnCommonProblem struct {
	VisitID string `json:"-"`
	Problem string `json:"problem"`
}

type WarnCommonProblemHandler struct{ d handlerDeps }

func NewWarnCommonProblemHandler(store EventStore, clock Clock, ids IDGenerator) WarnCommonProblemHandler {
	return WarnCommonProblemHandler{newHandlerDeps(store, clock, ids)}
}

func (h WarnCommonProblemHandler) Handle(ctx context.Context, m Meta, cmd WarnCommonProblem) (Result, error) {
	return updateVisit(ctx, h.d, m, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.WarnCommonProblem(cmd.Problem, now)
	})
}
