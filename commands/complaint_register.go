package commands

import (
	"context"
	"strings"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// RegisterComplaint writes down a complaint after soothing the owner (R-C1).
// District is needed only when a project-wide principal registers. Owner
// and phone go to the unit's household, sealed (R-D3); the complaint
// names the unit only.
type RegisterComplaint struct {
	Unit        string `json:"unit"`
	Owner       string `json:"owner"`
	Phone       string `json:"phone"`
	Category    string `json:"category"`
	Description string `json:"description"`
	Soothing    string `json:"soothing"`
	District    string `json:"district,omitempty"`
	// Important marks it important at once (R-C5), with ImportantReason:
	// a supervisor's or the project manager's decision.
	Important       bool   `json:"important,omitempty"`
	ImportantReason string `json:"important_reason,omitempty"`
}

type RegisterComplaintHandler struct{ d handlerDeps }

func NewRegisterComplaintHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) RegisterComplaintHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return RegisterComplaintHandler{d}
}

func (h RegisterComplaintHandler) Handle(ctx context.Context, m Meta, cmd RegisterComplaint) (Result, error) {
	if err := requireRole(m.Principal, complaintRegisterRoles...); err != nil {
		return Result{}, err
	}
	bad := missing("unit", cmd.Unit, "owner", cmd.Owner, "phone", cmd.Phone, "category", cmd.Category,
		"description", cmd.Description, "soothing", cmd.Soothing)
	if cmd.Category != "" && !complaint.ValidCategory(cmd.Category) {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["category"] = "one of " + strings.Join(complaint.Categories, "、")
	}
	if cmd.Important {
		if err := requireRole(m.Principal, complaintSupervisorRoles...); err != nil {
			return Result{}, err
		}
		if strings.TrimSpace(cmd.ImportantReason) == "" {
			if bad == nil {
				bad = map[string]string{}
			}
			bad["important_reason"] = "required when the complaint is marked important"
		}
	}
	if bad = districtField(m.Principal, cmd.District, bad); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return createOwnedRecord(ctx, h.d, m, cmd.District, owner{unit: cmd.Unit, name: cmd.Owner, phones: []string{cmd.Phone}}, complaint.Stream, complaintCodes, func(r newRecord) (changer, error) {
		return complaint.Register(r.ID, complaint.Registration{
			Project: r.Project, District: r.District, Unit: cmd.Unit,
			Category: cmd.Category, Description: cmd.Description, Soothing: cmd.Soothing,
			Important: cmd.Important, ImportantReason: cmd.ImportantReason,
		}, r.Now)
	})
}
