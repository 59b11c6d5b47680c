package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/projections"
)

// Owners' personal data in answers (R-D3). Records name the unit; the
// owner's name and phones are joined from the households read model at
// read time: unmasked for the roles that reach owners
// (commands.PersonalDataRoles; a butler in their own district only),
// masked (王**, 138****5678) for every other role, 已删除 once erased. An
// answer that shows any unmasked personal data is recorded first
// (personaldata.read.v1: who, which endpoint, which units); if the record
// cannot be written, the answer is not sent.

// maskName keeps a name's first character: 王秀英 → 王**.
func maskName(name string) string {
	if name == "" || name == projections.Erased {
		return name
	}
	first, size := utf8.DecodeRuneInString(name)
	n := utf8.RuneCountInString(name[size:])
	return string(first) + strings.Repeat("*", max(n, 1))
}

// maskPhone keeps a phone's first three and last four digits:
// 13812345678 → 138****5678; a short one is all stars.
func maskPhone(phone string) string {
	if phone == projections.Erased {
		return phone
	}
	if len(phone) < 8 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:3] + strings.Repeat("*", len(phone)-7) + phone[len(phone)-4:]
}

// seesOwnersOf reports whether p sees unmasked personal data of a
// household in district.
func seesOwnersOf(p commands.Principal, district string) bool {
	return p.SeesPersonalData() && (p.ProjectWide() || p.District == district)
}

// ownerFields is what an answer shows of a household's owner.
type ownerFields struct {
	Owner  string   `json:"owner"`
	Phone  string   `json:"phone"`
	Phones []string `json:"phones"`
	// Masked says the caller's role sees the owner masked.
	Masked bool `json:"owner_masked,omitempty"`
	// Erased says the owner's personal data was erased.
	Erased bool `json:"owner_erased,omitempty"`
}

// households reads the households of units in project: unit → document.
func (s *server) households(ctx context.Context, project string, units []string) (map[string]projections.Household, error) {
	out := map[string]projections.Household{}
	var want []string
	seen := map[string]bool{}
	for _, u := range units {
		if u != "" && !seen[u] {
			seen[u] = true
			want = append(want, u)
		}
	}
	for len(want) > 0 {
		n := min(len(want), 1000)
		res, err := s.d.Reads.Search(ctx, projections.HouseholdsIndex, projections.Query{
			Terms: map[string][]string{"project": {project}, "unit": want[:n]}, Size: n})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			var d projections.Household
			if err := json.Unmarshal(h.Source, &d); err != nil {
				return nil, err
			}
			out[d.Unit] = d
		}
		want = want[n:]
	}
	return out, nil
}

// householdsAt folds the households of units from their streams as they
// stood at at: the contact recorded last until then, opened now (so a
// contact erased since reads 已删除, whatever at).
func (s *server) householdsAt(ctx context.Context, project string, units []string, at time.Time) (map[string]projections.Household, error) {
	out := map[string]projections.Household{}
	for _, u := range units {
		if u == "" {
			continue
		}
		if _, done := out[u]; done {
			continue
		}
		stream := household.Stream(project, u)
		recs, err := event.ReadStreamWhole(ctx, s.d.Events, stream, historyPage)
		if errors.Is(err, event.ErrStreamNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		n := 0
		for n < len(recs) && !recs[n].RecordedAt.After(at) {
			n++
		}
		if n == 0 {
			continue
		}
		h, err := projections.FoldHousehold(ctx, s.d.Keys, recs[:n])
		if err != nil {
			return nil, err
		}
		out[u] = h
	}
	return out, nil
}

// showOwner is what p sees of household h; shown says it is unmasked
// personal data (to be recorded).
func showOwner(p commands.Principal, h projections.Household) (f ownerFields, shown bool) {
	if h.Erased {
		return ownerFields{Owner: projections.Erased, Phone: projections.Erased, Phones: []string{}, Erased: true}, false
	}
	f = ownerFields{Owner: h.Owner, Phones: append([]string{}, h.Phones...)}
	if len(f.Phones) > 0 {
		f.Phone = f.Phones[0]
	}
	if seesOwnersOf(p, h.District) {
		return f, f.Owner != "" || f.Phone != ""
	}
	f.Owner, f.Phone, f.Masked = maskName(f.Owner), maskPhone(f.Phone), true
	for i := range f.Phones {
		f.Phones[i] = maskPhone(f.Phones[i])
	}
	return f, false
}

// joinOwners adds the owner's fields to each item (a JSON object naming
// its "unit"), and records the read of those shown unmasked before
// returning. Items without a unit, or whose unit has no household, are
// left as they are.
func (s *server) joinOwners(c echo.Context, items []json.RawMessage) ([]json.RawMessage, error) {
	return s.joinOwnersAt(c, items, time.Time{})
}

// joinOwnersAt is joinOwners with the owners as their households knew them
// at asOf (zero: now, from the households read model).
func (s *server) joinOwnersAt(c echo.Context, items []json.RawMessage, asOf time.Time) ([]json.RawMessage, error) {
	p := PrincipalOf(c)
	type placed struct {
		Unit string `json:"unit"`
	}
	units := make([]string, len(items))
	for i, it := range items {
		var pl placed
		if err := json.Unmarshal(it, &pl); err != nil {
			return nil, err
		}
		units[i] = pl.Unit
	}
	var hh map[string]projections.Household
	var err error
	if asOf.IsZero() {
		hh, err = s.households(c.Request().Context(), p.Project, units)
	} else {
		hh, err = s.householdsAt(c.Request().Context(), p.Project, units, asOf)
	}
	if err != nil {
		return nil, err
	}
	var read []string
	out := make([]json.RawMessage, len(items))
	for i, it := range items {
		h, ok := hh[units[i]]
		if !ok {
			out[i] = it
			continue
		}
		f, shown := showOwner(p, h)
		if shown {
			read = append(read, h.Unit)
		}
		if out[i], err = mergeFields(it, f); err != nil {
			return nil, err
		}
	}
	return out, s.recordRead(c, read)
}

// mergeFields sets f's fields on the JSON object obj.
func mergeFields(obj json.RawMessage, f any) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		return nil, err
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	var add map[string]json.RawMessage
	if err := json.Unmarshal(b, &add); err != nil {
		return nil, err
	}
	for k, v := range add {
		m[k] = v
	}
	return json.Marshal(m)
}

// recordRead records that the answer being prepared shows units' personal
// data unmasked; nothing is recorded for none.
func (s *server) recordRead(c echo.Context, units []string) error {
	if len(units) == 0 {
		return nil
	}
	m, err := MetaOf(c)
	if err != nil {
		return err
	}
	m.IfMatch = nil
	return s.d.Commands.Household.RecordRead.Handle(c.Request().Context(), m, commands.RecordPersonalDataRead{
		Route: c.Path(), Units: units, Zone: s.d.Zone})
}

// personalFields are the fields of events recorded before households that
// hold an owner's personal data in plain text, by event type. Histories
// show them unmasked to the roles that see owners (and record the read),
// masked to the others, and 已删除 once the household is erased.
var personalFields = map[string][]string{
	"complaint.registered.v1":        {"owner", "phone"},
	"workorder.owner_confirmed.v1":   {"signed_by"},
	"renovation.filed.v1":            {"owner"},
	"renovation.rules_briefed.v1":    {"owner"},
	"movein.opened.v1":               {"owner"},
	"vacant.registered.v1":           {"owner"},
	"archive.opened.v1":              {"owner", "phone"},
	"key.lent.v1":                    {"authorised_by"},
	"archive.key_loan_form_filed.v1": {"authorised_by"},
}

// maskHistory applies personalFields to a stream's events for the caller:
// unit is the household the stream is about ("" when none).
func (s *server) maskHistory(c echo.Context, project, district, unit string, out []HistoryEvent) error {
	need := false
	for _, e := range out {
		need = need || len(personalFields[e.Type]) > 0
	}
	if !need {
		return nil
	}
	p := PrincipalOf(c)
	var h projections.Household
	if unit != "" {
		hh, err := s.households(c.Request().Context(), project, []string{unit})
		if err != nil {
			return err
		}
		h = hh[unit]
	}
	shown := false
	for i, e := range out {
		fields := personalFields[e.Type]
		if len(fields) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(e.Data, &m); err != nil {
			return err
		}
		for _, f := range fields {
			v, ok := m[f].(string)
			if !ok || v == "" {
				continue
			}
			switch {
			case h.Erased:
				m[f] = projections.Erased
			case !seesOwnersOf(p, district):
				if f == "phone" {
					m[f] = maskPhone(v)
				} else {
					m[f] = maskName(v)
				}
			default:
				shown = true
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		out[i].Data = b
	}
	if shown && unit != "" {
		return s.recordRead(c, []string{unit})
	}
	return nil
}

// unitOf is the unit a stream's events name ("unit", or an archive's
// "household"): the first that names one.
func unitOf(events []HistoryEvent) string {
	for _, e := range events {
		var u struct {
			Unit      string `json:"unit"`
			Household string `json:"household"`
		}
		if json.Unmarshal(e.Data, &u) == nil {
			if u.Unit != "" {
				return u.Unit
			}
			if u.Household != "" {
				return u.Household
			}
		}
	}
	return ""
}
