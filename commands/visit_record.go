package commands

import (
	"context"
	"strings"

	"github.com/butler-pm/butler/domain/apperr"
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
	// Satisfaction is the owner's rating, 1–5, if they gave one (R-H6).
	Satisfaction int `json:"satisfaction,omitempty"`
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
	return createRecord(ctx, h.d, m, cmd.District, visit.Stream, visitCodes, func(r newRecord) (changer, error) {
		// R-H7: whether the household is a key client is the register's word.
		units, err := h.d.unitRegisterView(ctx, r.Project, r.District)
		if err != nil {
			return nil, err
		}
		return visit.Record(visit.Visited{VisitID: r.ID, Project: r.Project, District: r.District, Visitor: m.Principal.StaffID,
			Role: m.Principal.Role, Household: strings.TrimSpace(cmd.Household), Kind: visit.Kind(cmd.Kind), PlanID: cmd.PlanID,
			Festival: cmd.Festival, Notes: cmd.Notes, Opinions: cmd.Opinions, Satisfaction: cmd.Satisfaction,
			KeyClient: units.KeyClient(cmd.Household), At: r.Now})
	})
}
