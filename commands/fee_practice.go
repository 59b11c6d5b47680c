package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/debrief"
	"github.com/butler-pm/butler/domain/fee/fastroute"
	"github.com/butler-pm/butler/domain/localtime"
)

// The collection practice (R-F6): the team's daily debrief, the fast route
// (直通车) for obstacles within the property's duty, and guidance (疏导)
// of influential owners in arrears.
//
//	command                          butler supervisor project_manager engineer cashier
//	debrief                            x        x            x
//	fast route raise                   x        x            x                    x
//	fast route resolve                 x        x            x            x
//	influential flag                   x        x            x
//	guidance                           x        x            x
var (
	feePracticeRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager}
	fastRouteRaise   = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleCashier}
	fastRouteResolve = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleEngineer}
)

var feeDebriefNamespace = uuid.MustParse("c1e2d3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f")

// FeeDebriefID is the id of a project's collection-team day (YYYY-MM-DD).
func FeeDebriefID(project, day string) string {
	return uuid.NewSHA1(feeDebriefNamespace, []byte(project+"\x00"+day)).String()
}

var feeDebriefCodes = map[error]string{
	debrief.ErrDayInvalid:        "day_invalid",
	debrief.ErrDebriefIncomplete: "debrief_incomplete",
	debrief.ErrAlreadyHeld:       "debrief_already_held",
}

var fastRouteCodes = map[error]string{
	fastroute.ErrNotRaised:         "not_raised",
	fastroute.ErrRaiseIncomplete:   "fast_route_incomplete",
	fastroute.ErrResolutionMissing: "resolution_missing",
	fastroute.ErrAlreadyResolved:   "already_resolved",
}

// HoldCollectionDebrief records today's debrief of the collection team (R-F6).
type HoldCollectionDebrief struct {
	Attendees []string           `json:"attendees"`
	Obstacles []debrief.Obstacle `json:"obstacles"`
	Decisions string             `json:"decisions"`
}

type HoldCollectionDebriefHandler struct{ d handlerDeps }

func (h HoldCollectionDebriefHandler) Handle(ctx context.Context, m Meta, cmd HoldCollectionDebrief) (Result, error) {
	if err := requireRole(m.Principal, feePracticeRoles...); err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	day := localtime.Day(now)
	id := FeeDebriefID(m.Principal.Project, day)
	stream := debrief.Stream(id)
	hist, err := h.d.readHistory(ctx, stream, debrief.Decode)
	if err != nil {
		return Result{}, err
	}
	var d *debrief.Day
	expected := event.NoStream()
	if hist.exists {
		if d, err = debrief.FromHistory(hist.payloads); err != nil {
			return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
		}
		expected = event.Exact(hist.revision)
	} else if d, err = debrief.Open(m.Principal.Project, day); err != nil {
		return Result{}, domainError(err, feeDebriefCodes)
	}
	if err := d.Hold(cmd.Attendees, cmd.Obstacles, cmd.Decisions, now); err != nil {
		return Result{}, domainError(err, feeDebriefCodes)
	}
	rev, err := h.d.appendChanges(ctx, stream, expected, m.Principal.Actor(), d.Project(), d.District(), m.chain(), now, d.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// RaiseFastRoute puts a collection obstacle within the property's duty on
// the fast route (直通车) to its department (R-F6).
type RaiseFastRoute struct {
	Unit       string `json:"unit"`
	BillID     string `json:"bill_id"`
	Department string `json:"department"`
	Obstacle   string `json:"obstacle"`
	District   string `json:"district"`
}

type RaiseFastRouteHandler struct{ d handlerDeps }

func (h RaiseFastRouteHandler) Handle(ctx context.Context, m Meta, cmd RaiseFastRoute) (Result, error) {
	bad := districtField(m.Principal, cmd.District, missing("unit", cmd.Unit, "department", cmd.Department, "obstacle", cmd.Obstacle))
	if len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, fastRouteRaise...); err != nil {
		return Result{}, err
	}
	return createRecord(ctx, h.d, m, cmd.District, fastroute.Stream, fastRouteCodes, func(r newRecord) (changer, error) {
		return fastroute.Raise(r.ID, fastroute.Spec{Project: r.Project, District: r.District, Unit: cmd.Unit, BillID: cmd.BillID,
			Department: cmd.Department, Obstacle: cmd.Obstacle}, r.Now)
	})
}

// ResolveFastRoute records that the department resolved the obstacle.
type ResolveFastRoute struct {
	ObstacleID string `json:"-"`
	Resolution string `json:"resolution"`
}

type ResolveFastRouteHandler struct{ d handlerDeps }

func (h ResolveFastRouteHandler) Handle(ctx context.Context, m Meta, cmd ResolveFastRoute) (Result, error) {
	if bad := missing("obstacle_id", cmd.ObstacleID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.ObstacleID, fastroute.Stream(cmd.ObstacleID), fastRouteResolve, fastroute.Decode, fastroute.FromHistory,
		fastRouteCodes, func(o *fastroute.Obstacle, now time.Time) error { return o.Resolve(cmd.Resolution, now) })
}

// FlagInfluentialOwner marks the owner in arrears on a bill as influential:
// the case is handled by guidance (R-F6).
type FlagInfluentialOwner struct {
	BillID string `json:"-"`
	Reason string `json:"reason"`
}

type FlagInfluentialOwnerHandler struct{ d handlerDeps }

func (h FlagInfluentialOwnerHandler) Handle(ctx context.Context, m Meta, cmd FlagInfluentialOwner) (Result, error) {
	return updateBill(ctx, h.d, m, cmd.BillID, feePracticeRoles, func(b *fee.Bill, now time.Time) error {
		return b.FlagInfluential(cmd.Reason, now)
	})
}

// RecordArrearsGuidance records a guidance talk (疏导) with an influential
// owner in arrears (R-F6).
type RecordArrearsGuidance struct {
	BillID string `json:"-"`
	Note   string `json:"note"`
}

type RecordArrearsGuidanceHandler struct{ d handlerDeps }

func (h RecordArrearsGuidanceHandler) Handle(ctx context.Context, m Meta, cmd RecordArrearsGuidance) (Result, error) {
	return updateBill(ctx, h.d, m, cmd.BillID, feePracticeRoles, func(b *fee.Bill, now time.Time) error {
		return b.RecordGuidance(cmd.Note, now)
	})
}
