package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// RegisterFoundProperty registers what the caller found (R-S9): what it
// is, where and when it was found. It is to be handed in within 24 hours.
type RegisterFoundProperty struct {
	Description string `json:"description"`
	Place       string `json:"place"`
	FoundAt     string `json:"found_at"` // RFC 3339
	District    string `json:"district,omitempty"`
}

type RegisterFoundPropertyHandler struct{ d handlerDeps }

func NewRegisterFoundPropertyHandler(store EventStore, clock Clock, ids IDGenerator) RegisterFoundPropertyHandler {
	return RegisterFoundPropertyHandler{newHandlerDeps(store, clock, ids)}
}

func (h RegisterFoundPropertyHandler) Handle(ctx context.Context, m Meta, cmd RegisterFoundProperty) (Result, error) {
	bad := missing("description", cmd.Description, "place", cmd.Place)
	foundAt, err := time.Parse(time.RFC3339, cmd.FoundAt)
	if err != nil {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["found_at"] = "required: when it was found, RFC 3339 (2026-03-02T08:30:00+08:00)"
	}
	bad = districtField(m.Principal, cmd.District, bad)
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, foundPropertyFinderRoles...); err != nil {
		return Result{}, err
	}
	return createRecord(ctx, h.d, m, cmd.District, lostproperty.Stream, foundPropertyCodes, func(r newRecord) (changer, error) {
		return lostproperty.Register(lostproperty.Found{ItemID: r.ID, Project: r.Project, District: r.District,
			Description: cmd.Description, Place: cmd.Place, FoundAt: foundAt, Finder: m.Principal.StaffID, At: r.Now})
	})
}
