// Package household is the home of owners' personal data (R-D3): one
// household per project and unit, whose contact (owner, phones) is
// recorded sealed under the household's own data key, and whose erasure
// destroys that key. Other records name the household by its unit and
// hold no personal data.
//
// Status:
//
//	(none) ──record contact──▶ contact ──erase──▶ erased ──record contact (a new owner)──▶ contact
//	(none) ──erase──▶ erased      (a unit whose owner data is only in events recorded before households)
//
// The aggregate never sees plaintext: sealing, and comparing a new contact
// with the current one, happen in the command handler through its Sealer.
package household

import (
	"regexp"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Household is the aggregate. Build one with New or FromHistory.
type Household struct {
	project, district, unit string
	current                 *Sealed
	erased                  bool

	changes []event.Payload
}

// New is a household with no history: its first event creates it.
func New(project, district, unit string) *Household {
	return &Household{project: project, district: district, unit: unit}
}

// FromHistory rebuilds a household from its stored events, oldest first;
// project and district come from the events' metadata (the district of the
// latest).
func FromHistory(project, district string, history []event.Payload) (*Household, error) {
	h := &Household{project: project, district: district}
	for _, p := range history {
		h.apply(p)
	}
	return h, nil
}

// RecordContact records a new sealed contact for the household.
func (h *Household) RecordContact(unit string, c Sealed, now time.Time) error {
	if strings.TrimSpace(unit) == "" {
		return ErrUnitMissing
	}
	h.record(ContactRecorded{Unit: unit, Contact: c, At: now})
	return nil
}

// Erase records the erasure of the household's personal data; the caller
// destroys the keys once it is recorded.
func (h *Household) Erase(unit, reason string, now time.Time) error {
	if strings.TrimSpace(unit) == "" {
		return ErrUnitMissing
	}
	if strings.TrimSpace(reason) == "" {
		return ErrReasonMissing
	}
	if h.erased {
		return ErrAlreadyErased
	}
	h.record(Erased{Unit: unit, Reason: reason, At: now})
	return nil
}

// Current is the household's contact, sealed; nil when none was recorded
// or it was erased since.
func (h *Household) Current() *Sealed { return h.current }

// Erased reports whether the personal data is erased and nothing was recorded since.
func (h *Household) Erased() bool { return h.erased }

func (h *Household) Project() string          { return h.project }
func (h *Household) District() string         { return h.district }
func (h *Household) Changes() []event.Payload { return h.changes }

func (h *Household) record(p event.Payload) {
	h.apply(p)
	h.changes = append(h.changes, p)
}

func (h *Household) apply(p event.Payload) {
	switch p := p.(type) {
	case ContactRecorded:
		c := p.Contact
		h.current, h.erased, h.unit = &c, false, p.Unit
	case Erased:
		h.current, h.erased, h.unit = nil, true, p.Unit
	}
}

// NewRead is the record of one answer that showed the given households'
// personal data (units, deduplicated, in the order given).
func NewRead(route string, units []string, now time.Time) (PersonalDataRead, error) {
	var out []string
	seen := map[string]bool{}
	for _, u := range units {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	if strings.TrimSpace(route) == "" || len(out) == 0 {
		return PersonalDataRead{}, ErrRouteMissing
	}
	return PersonalDataRead{Route: route, Units: out, At: now}, nil
}

// phonePattern is a mainland China mobile number (11 digits from 13 to 19)
// or a landline with its area code (010-12345678, 0755 8888 6666), an
// extension allowed (-123).
var phonePattern = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}([- ]\d{1,6})?)$`)

// ValidPhone reports whether s is a phone number an owner can be reached on.
func ValidPhone(s string) bool { return phonePattern.MatchString(s) }
