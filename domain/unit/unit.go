// Package unit is a district's register of units and households (房屋与住户
// 台账): every unit with its building, whether a household lives in it
// (occupied or vacant), and whether that household is a key client (重点
// 客户, R-H7). Rules take their counts from it: the 8% visit plan counts
// the district's occupied units (R-H1) and may name registered units only;
// key-client visits count only households the register marks (R-H4).
//
// One register per project and district (stream units-<project>:<district>);
// many units are registered in one event. The register holds no personal
// data: owners' names and phones are the household's, sealed
// (domain/household, R-D3).
//
// A unit's states:
//
//	(none) ──register──▶ occupied ⇄ vacant      (set status)
//	any registered unit: key client ⇄ not       (mark, unmark, with a reason)
package unit

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Status says whether a household lives in the unit.
type Status string

const (
	Occupied Status = "occupied"
	Vacant   Status = "vacant"
)

// MaxBatch is the most units one registration holds (a district of more
// is registered in several).
const MaxBatch = 1000

// Errors of the register: each states the rule that was broken.
var (
	ErrNoUnits        = errors.New("a registration names at least one unit")
	ErrBatchTooLarge  = fmt.Errorf("a registration holds at most %d units; register a large district in several", MaxBatch)
	ErrUnitCode       = errors.New("a unit code is 1–32 letters, digits, '-', '.' or '_' (12-1-1802), starting with a letter or digit")
	ErrBuilding       = errors.New("a unit names its building (12), or its code starts with it (12-1-1802)")
	ErrStatus         = errors.New("a unit's status is occupied or vacant")
	ErrDuplicate      = errors.New("a unit is registered once")
	ErrUnknownUnit    = errors.New("the unit is not in the district's register")
	ErrStatusSame     = errors.New("the unit has that status already")
	ErrReasonMissing  = errors.New("marking or unmarking a key client says why")
	ErrKeyClient      = errors.New("the household is a key client already")
	ErrNotAKeyClient  = errors.New("the household is not a registered key client")
	ErrDistrictNeeded = errors.New("a register belongs to one project and district")
)

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// ValidCode reports whether s is a well-formed unit code.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// unitState is one unit's current state.
type unitState struct {
	building  string
	status    Status
	keyClient bool
	reason    string
}

// Register is one district's units. Build one with New and Apply.
type Register struct {
	project, district string
	order             []string
	units             map[string]*unitState
	changes           []event.Payload
}

// New is an empty register of one district.
func New(project, district string) *Register {
	return &Register{project: project, district: district, units: map[string]*unitState{}}
}

// Apply folds one stored event (rebuilding, and recording through the same step).
func (r *Register) Apply(p event.Payload) {
	switch e := p.(type) {
	case Registered:
		for _, u := range e.Units {
			if _, ok := r.units[u.Unit]; !ok {
				r.order = append(r.order, u.Unit)
			}
			r.units[u.Unit] = &unitState{building: u.Building, status: u.Status}
		}
	case StatusChanged:
		if s := r.units[e.Unit]; s != nil {
			s.status = e.Status
		}
	case KeyClientMarked:
		if s := r.units[e.Unit]; s != nil {
			s.keyClient, s.reason = true, e.Reason
		}
	case KeyClientUnmarked:
		if s := r.units[e.Unit]; s != nil {
			s.keyClient, s.reason = false, ""
		}
	}
}

func (r *Register) record(p event.Payload) {
	r.Apply(p)
	r.changes = append(r.changes, p)
}

// Register adds units. A unit without a building takes the part of its
// code before the first '-' (12-1-1802 is in building 12); a unit without
// a status is occupied. The whole batch is refused, naming the units, if
// any is malformed, listed twice or registered already.
func (r *Register) Register(units []Unit, now time.Time) error {
	if strings.TrimSpace(r.project) == "" || strings.TrimSpace(r.district) == "" {
		return ErrDistrictNeeded
	}
	if len(units) == 0 {
		return ErrNoUnits
	}
	if len(units) > MaxBatch {
		return ErrBatchTooLarge
	}
	out := make([]Unit, 0, len(units))
	seen := map[string]bool{}
	var dups, again []string
	for i, u := range units {
		u.Unit, u.Building = strings.TrimSpace(u.Unit), strings.TrimSpace(u.Building)
		if !ValidCode(u.Unit) {
			return fmt.Errorf("%w: units[%d] %q", ErrUnitCode, i, u.Unit)
		}
		if u.Building == "" {
			if b, _, ok := strings.Cut(u.Unit, "-"); ok {
				u.Building = b
			}
		}
		if u.Building == "" || len([]rune(u.Building)) > 32 {
			return fmt.Errorf("%w: units[%d] %q", ErrBuilding, i, u.Unit)
		}
		switch u.Status {
		case "":
			u.Status = Occupied
		case Occupied, Vacant:
		default:
			return fmt.Errorf("%w: units[%d] %q", ErrStatus, i, u.Unit)
		}
		switch {
		case seen[u.Unit]:
			dups = append(dups, u.Unit)
		case r.units[u.Unit] != nil:
			again = append(again, u.Unit)
		}
		seen[u.Unit] = true
		out = append(out, u)
	}
	if len(dups) > 0 {
		return fmt.Errorf("%w: listed more than once: %s", ErrDuplicate, strings.Join(dups, ", "))
	}
	if len(again) > 0 {
		return fmt.Errorf("%w: registered already: %s", ErrDuplicate, strings.Join(again, ", "))
	}
	r.record(Registered{Project: r.project, District: r.district, Units: out, At: now})
	return nil
}

// SetStatus records that a household moved in (occupied) or out (vacant).
func (r *Register) SetStatus(unit string, status Status, now time.Time) error {
	s, err := r.unit(unit)
	if err != nil {
		return err
	}
	if status != Occupied && status != Vacant {
		return ErrStatus
	}
	if s.status == status {
		return ErrStatusSame
	}
	r.record(StatusChanged{Unit: strings.TrimSpace(unit), Status: status, At: now})
	return nil
}

// MarkKeyClient puts the unit's household in the key-client register (R-H7).
func (r *Register) MarkKeyClient(unit, reason string, now time.Time) error {
	s, err := r.unit(unit)
	if err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return ErrReasonMissing
	}
	if s.keyClient {
		return ErrKeyClient
	}
	r.record(KeyClientMarked{Unit: strings.TrimSpace(unit), Reason: strings.TrimSpace(reason), At: now})
	return nil
}

// UnmarkKeyClient takes the household out of the key-client register.
func (r *Register) UnmarkKeyClient(unit, reason string, now time.Time) error {
	s, err := r.unit(unit)
	if err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return ErrReasonMissing
	}
	if !s.keyClient {
		return ErrNotAKeyClient
	}
	r.record(KeyClientUnmarked{Unit: strings.TrimSpace(unit), Reason: strings.TrimSpace(reason), At: now})
	return nil
}

func (r *Register) unit(code string) (*unitState, error) {
	code = strings.TrimSpace(code)
	s := r.units[code]
	if s == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownUnit, code)
	}
	return s, nil
}

// Households is the district's household count: its occupied units (R-H1;
// a vacant unit has no one to visit and is inspected under R-V1 instead).
func (r *Register) Households() int {
	n := 0
	for _, s := range r.units {
		if s.status == Occupied {
			n++
		}
	}
	return n
}

// Len is the number of registered units, occupied or vacant.
func (r *Register) Len() int { return len(r.units) }

// Has reports whether the unit is registered.
func (r *Register) Has(unit string) bool { return r.units[strings.TrimSpace(unit)] != nil }

// Occupied reports whether the unit is registered and occupied.
func (r *Register) Occupied(unit string) bool {
	s := r.units[strings.TrimSpace(unit)]
	return s != nil && s.status == Occupied
}

// KeyClient reports whether the unit's household is a registered key client.
func (r *Register) KeyClient(unit string) bool {
	s := r.units[strings.TrimSpace(unit)]
	return s != nil && s.keyClient
}

// KeyClients lists the key clients' units, in registration order.
func (r *Register) KeyClients() []string {
	var out []string
	for _, u := range r.order {
		if r.units[u].keyClient {
			out = append(out, u)
		}
	}
	return out
}

// Units lists the registered units, in registration order.
func (r *Register) Units() []string { return slices.Clone(r.order) }

func (r *Register) Project() string          { return r.project }
func (r *Register) District() string         { return r.district }
func (r *Register) Changes() []event.Payload { return r.changes }
