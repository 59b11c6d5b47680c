package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// PersonalKeys is what commands need of the households' data keys
// (infra/personal.Sealer): seal a contact, open the current one to compare
// it with a new one, destroy the keys on erasure.
type PersonalKeys interface {
	Seal(ctx context.Context, stream string, plaintext []byte) (household.Sealed, error)
	Open(ctx context.Context, stream string, v household.Sealed) ([]byte, error)
	Destroy(ctx context.Context, stream string) error
}

// Who sees and records owners' personal data (R-D3): the roles that reach
// owners in their work. The district's butler (own district only: scope
// is checked as for every record), the supervisor and the project manager
// handle owners' complaints and repairs; the command centre's operators
// take owners' calls day and night. Every other role sees names and
// phones masked and cannot search by them.
//
//	command                          butler supervisor project_manager operator
//	household record contact           x        x            x            x
//	household erase                                          x
var (
	PersonalDataRoles   = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}
	householdEraseRoles = []string{RoleProjectManager}
)

// SeesPersonalData reports whether the principal's role sees owners'
// names and phones unmasked (scope is checked separately).
func (p Principal) SeesPersonalData() bool { return p.HasRole(PersonalDataRoles...) }

// householdCodes are the stable error codes of refused household rules.
var householdCodes = map[error]string{
	household.ErrUnitMissing:   "unit_missing",
	household.ErrOwnerMissing:  "owner_missing",
	household.ErrReasonMissing: "reason_missing",
	household.ErrAlreadyErased: "already_erased",
	household.ErrRouteMissing:  "read_incomplete",
	household.ErrKeyDestroyed:  "erased",
}

// HouseholdHandlers are the household module's command handlers.
type HouseholdHandlers struct {
	RecordContact RecordHouseholdContactHandler
	Erase         EraseHouseholdHandler
	RecordRead    RecordPersonalDataReadHandler
}

func newHouseholdHandlers(d handlerDeps) HouseholdHandlers {
	return HouseholdHandlers{RecordContact: RecordHouseholdContactHandler{d}, Erase: EraseHouseholdHandler{d}, RecordRead: RecordPersonalDataReadHandler{d}}
}

// maxPhones bounds a household's phones: a new phone of the same owner is
// added first, the oldest dropped.
const maxPhones = 3

// contactAttempts bounds the retries when two commands record the same
// household's contact at once.
const contactAttempts = 3

// recordContact records the household's contact, sealed under its key,
// when a command names the owner or a phone and that differs from the
// household's current contact (a new owner replaces it; a new phone of the
// same owner is added). Nothing is recorded when nothing is named.
func (d handlerDeps) recordContact(ctx context.Context, m Meta, project, district, unit, owner string, phones ...string) error {
	owner = strings.TrimSpace(owner)
	var named []string
	for _, p := range phones {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(named, p) {
			named = append(named, p)
		}
	}
	if owner == "" && len(named) == 0 {
		return nil
	}
	for _, p := range named {
		if !household.ValidPhone(p) {
			return apperr.Invalid(map[string]string{"phone": fmt.Sprintf(
				"%q is not a phone number: a mobile (11 digits, 13x–19x) or a landline with its area code (010-12345678)", p)})
		}
	}
	if d.keys == nil {
		return errors.New("commands: no key store for personal data")
	}
	unit = strings.TrimSpace(unit)
	stream := household.Stream(project, unit)
	for attempt := 1; ; attempt++ {
		err := d.recordContactOnce(ctx, m, project, district, unit, stream, owner, named)
		var appErr *apperr.Error
		if attempt < contactAttempts && errors.As(err, &appErr) && appErr.Kind == apperr.Conflict {
			continue
		}
		return err
	}
}

func (d handlerDeps) recordContactOnce(ctx context.Context, m Meta, project, district, unit, stream, owner string, phones []string) error {
	hist, err := d.readHistory(ctx, stream, household.Decode)
	if err != nil {
		return err
	}
	h, _ := household.FromHistory(project, district, hist.payloads)
	next := household.Contact{Owner: owner, Phones: phones}
	if cur := h.Current(); cur != nil {
		plain, err := d.keys.Open(ctx, stream, *cur)
		switch {
		case errors.Is(err, household.ErrKeyDestroyed):
			// erased meanwhile: the new contact starts afresh
		case err != nil:
			return err
		default:
			var was household.Contact
			if err := json.Unmarshal(plain, &was); err != nil {
				return fmt.Errorf("household %s: current contact: %w", stream, err)
			}
			if next.Owner == "" {
				next.Owner = was.Owner
			}
			if next.Owner == was.Owner {
				merged := append(slices.Clone(phones), was.Phones...)
				merged = slices.Compact(dedupe(merged))
				if len(merged) > maxPhones {
					merged = merged[:maxPhones]
				}
				next.Phones = merged
			}
			if next.Owner == was.Owner && slices.Equal(next.Phones, was.Phones) {
				return nil // nothing new
			}
		}
	}
	if next.Owner == "" {
		return domainError(household.ErrOwnerMissing, householdCodes)
	}
	plain, err := json.Marshal(next)
	if err != nil {
		return err
	}
	sealed, err := d.keys.Seal(ctx, stream, plain)
	if err != nil {
		return err
	}
	now := d.clock.Now()
	if err := h.RecordContact(unit, sealed, now); err != nil {
		return domainError(err, householdCodes)
	}
	expected := event.NoStream()
	if hist.exists {
		expected = event.Exact(hist.revision)
	}
	_, err = d.appendChanges(ctx, stream, expected, m.Principal.Actor(), project, district, m.chain(), now, h.Changes())
	return err
}

// ownerOf is a household's owner and first phone, opened from its current
// contact; 已删除 when erased. A household without a contact falls back on
// the owner named in plain text by a record made before households (the
// first event of fallback, if it names "owner" and "phone").
func (d handlerDeps) ownerOf(ctx context.Context, project, unit, fallback string) (owner, phone string, err error) {
	stream := household.Stream(project, unit)
	hist, err := d.readHistory(ctx, stream, household.Decode)
	if err != nil {
		return "", "", err
	}
	h, _ := household.FromHistory(project, "", hist.payloads)
	if h.Erased() {
		return household.ErasedText, household.ErasedText, nil
	}
	if cur := h.Current(); cur != nil {
		if d.keys == nil {
			return "", "", errors.New("commands: no key store for personal data")
		}
		plain, err := d.keys.Open(ctx, stream, *cur)
		if errors.Is(err, household.ErrKeyDestroyed) {
			return household.ErasedText, household.ErasedText, nil
		}
		if err != nil {
			return "", "", err
		}
		var c household.Contact
		if err := json.Unmarshal(plain, &c); err != nil {
			return "", "", fmt.Errorf("household %s: contact: %w", stream, err)
		}
		if len(c.Phones) > 0 {
			phone = c.Phones[0]
		}
		return c.Owner, phone, nil
	}
	recs, err := d.store.ReadStream(ctx, fallback, 0, event.Forward, 1)
	if err != nil || len(recs) == 0 {
		return "", "", nil
	}
	var v1 struct {
		Owner string `json:"owner"`
		Phone string `json:"phone"`
	}
	_ = json.Unmarshal(recs[0].Data, &v1)
	return v1.Owner, v1.Phone, nil
}

// sealFor seals a value of personal data other than the contact (a
// repair's signer) under the unit's household key.
func (d handlerDeps) sealFor(ctx context.Context, project, unit, value string) (household.Sealed, error) {
	if d.keys == nil {
		return household.Sealed{}, errors.New("commands: no key store for personal data")
	}
	b, err := json.Marshal(value)
	if err != nil {
		return household.Sealed{}, err
	}
	return d.keys.Seal(ctx, household.Stream(project, unit), b)
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// RecordHouseholdContact records a household's owner and phones directly
// (the same as a complaint naming them). District is needed only when a
// project-wide principal records.
type RecordHouseholdContact struct {
	Unit     string   `json:"-"`
	Owner    string   `json:"owner"`
	Phones   []string `json:"phones"`
	District string   `json:"district,omitempty"`
}

type RecordHouseholdContactHandler struct{ d handlerDeps }

func (h RecordHouseholdContactHandler) Handle(ctx context.Context, m Meta, cmd RecordHouseholdContact) (Result, error) {
	if err := requireRole(m.Principal, PersonalDataRoles...); err != nil {
		return Result{}, err
	}
	bad := missing("unit", cmd.Unit, "owner", cmd.Owner)
	if bad = districtField(m.Principal, cmd.District, bad); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	project, district, err := h.d.registrationScope(ctx, m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	if err := h.d.recordContact(ctx, m, project, district, cmd.Unit, cmd.Owner, cmd.Phones...); err != nil {
		return Result{}, err
	}
	return h.d.householdResult(ctx, project, cmd.Unit)
}

func (d handlerDeps) householdResult(ctx context.Context, project, unit string) (Result, error) {
	hist, err := d.readHistory(ctx, household.Stream(project, unit), household.Decode)
	if err != nil {
		return Result{}, err
	}
	return Result{ID: unit, Revision: hist.revision}, nil
}

// EraseHousehold erases an owner's personal data (PIPL art. 47): records
// household.erased.v1 and destroys the household's keys, so that no
// contact sealed before can be opened again. The project is the caller's.
type EraseHousehold struct {
	Unit   string `json:"-"`
	Reason string `json:"reason"`
}

type EraseHouseholdHandler struct{ d handlerDeps }

func (h EraseHouseholdHandler) Handle(ctx context.Context, m Meta, cmd EraseHousehold) (Result, error) {
	if err := requireRole(m.Principal, householdEraseRoles...); err != nil {
		return Result{}, err
	}
	if bad := missing("unit", cmd.Unit, "reason", cmd.Reason); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if h.d.keys == nil {
		return Result{}, errors.New("commands: no key store for personal data")
	}
	project := m.Principal.Project
	stream := household.Stream(project, strings.TrimSpace(cmd.Unit))
	hist, err := h.d.readHistory(ctx, stream, household.Decode)
	if err != nil {
		return Result{}, err
	}
	district := ""
	if hist.exists {
		district = lastDistrict(ctx, h.d, stream)
	}
	hh, _ := household.FromHistory(project, district, hist.payloads)
	if err := checkIfMatch(m, hist.revision); hist.exists && err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	if err := hh.Erase(strings.TrimSpace(cmd.Unit), cmd.Reason, now); err != nil {
		if errors.Is(err, household.ErrAlreadyErased) {
			// Destroying again is harmless and finishes an erasure whose
			// key destruction failed after its event was recorded.
			if derr := h.d.keys.Destroy(ctx, stream); derr != nil {
				return Result{}, derr
			}
		}
		return Result{}, domainError(err, householdCodes)
	}
	expected := event.NoStream()
	if hist.exists {
		expected = event.Exact(hist.revision)
	}
	// The erasure is recorded first, then the keys destroyed: a failure in
	// between leaves the event, which read models already honour, and a
	// retry destroys the keys.
	rev, err := h.d.appendChanges(ctx, stream, expected, m.Principal.Actor(), project, district, m.chain(), now, hh.Changes())
	if err != nil {
		return Result{}, err
	}
	if err := h.d.keys.Destroy(ctx, stream); err != nil {
		return Result{}, fmt.Errorf("household %s: erasure recorded, destroying the keys failed (send the erasure again): %w", stream, err)
	}
	return Result{ID: cmd.Unit, Revision: rev}, nil
}

// lastDistrict is the district of the household's latest event.
func lastDistrict(ctx context.Context, d handlerDeps, stream string) string {
	recs, err := d.store.ReadStream(ctx, stream, event.StreamEnd, event.Backward, 1)
	if err != nil || len(recs) == 0 {
		return ""
	}
	return recs[0].Meta.District
}

// RecordPersonalDataRead records that an answer about to be sent shows
// these households' unmasked personal data (R-D3): who (the principal),
// when, through which endpoint (Route, the route pattern), which units.
// It is appended before the answer is sent; if it cannot be, the answer is
// not sent. Zone decides the day of the stream (default UTC).
type RecordPersonalDataRead struct {
	Route string
	Units []string
	Zone  *time.Location
}

type RecordPersonalDataReadHandler struct{ d handlerDeps }

func (h RecordPersonalDataReadHandler) Handle(ctx context.Context, m Meta, cmd RecordPersonalDataRead) error {
	if err := requireRole(m.Principal, PersonalDataRoles...); err != nil {
		return err
	}
	now := h.d.clock.Now()
	rec, err := household.NewRead(cmd.Route, cmd.Units, now)
	if err != nil {
		return domainError(err, householdCodes)
	}
	zone := cmd.Zone
	if zone == nil {
		zone = time.UTC
	}
	stream := household.AccessStream(m.Principal.Project, now.In(zone).Format(time.DateOnly))
	// Reads never conflict with each other: any revision is fine.
	_, err = h.d.appendChanges(ctx, stream, event.Any(), m.Principal.Actor(), m.Principal.Project, m.Principal.District,
		m.chain(), now, []event.Payload{rec})
	return err
}
