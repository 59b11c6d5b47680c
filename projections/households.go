package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// HouseholdsIndex is the households read model's name.
const HouseholdsIndex = "households"

// Erased is what every read shows in place of an erased owner's personal
// data (已删除: deleted).
const Erased = household.ErasedText

// Opener opens a value sealed under a household's key
// (infra/personal.Sealer); a destroyed key is household.ErrKeyDestroyed.
type Opener interface {
	Open(ctx context.Context, stream string, v household.Sealed) ([]byte, error)
}

// Household is the households read model: the one place outside the event
// store where owners' names and phones are in plain text (R-D3). Other
// read models name the unit; reads join this one. Erased, the owner and
// phones read 已删除 and no search finds them.
type Household struct {
	ID       string   `json:"id"`
	Project  string   `json:"project"`
	District string   `json:"district"`
	Unit     string   `json:"unit"`
	Owner    string   `json:"owner"`
	Phones   []string `json:"phones"`
	Erased   bool     `json:"erased"`
	// ErasedAt is when the erasure was recorded.
	ErasedAt *time.Time `json:"erased_at,omitempty"`
	// ContactAt is when the current contact was recorded.
	ContactAt *time.Time `json:"contact_at,omitempty"`
	Stamped
}

// Households projects household streams, opening each contact with Keys.
// A contact whose key is destroyed (an erasure, on a replay too) reads as
// erased; any other failure to open stops the projection, to be retried.
type Households struct{ Keys Opener }

func (Households) Name() string { return HouseholdsIndex }

func (Households) Schema() Schema {
	return Schema{Name: HouseholdsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword,
		"owner": Text, "phones": Text, "erased": Bool, "updated_at": Date, "contact_at": Date, "erased_at": Date,
	}}
}

func (h Households) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, household.StreamPrefix, household.Decode)
	if !ok || err != nil {
		return err
	}
	return FoldStream(ctx, docs, id, e, func(d *Household) error { return h.fold(ctx, d, id, p, e) })
}

func (h Households) fold(ctx context.Context, d *Household, id string, p event.Payload, e event.Recorded) error {
	d.ID, d.Project, d.District = id, e.Meta.Project, e.Meta.District
	switch p := p.(type) {
	case household.ContactRecorded:
		d.Unit = p.Unit
		t := p.At
		d.ContactAt = &t
		c, err := h.open(ctx, e.Stream, p.Contact)
		if errors.Is(err, household.ErrKeyDestroyed) {
			d.erase()
			break
		}
		if err != nil {
			return err
		}
		d.Owner, d.Phones, d.Erased, d.ErasedAt = c.Owner, c.Phones, false, nil
	case household.Erased:
		d.Unit = p.Unit
		t := p.At
		d.erase()
		d.ErasedAt = &t
	}
	d.Revision, d.UpdatedAt = e.Revision, e.Meta.OccurredAt
	return nil
}

// FoldHousehold folds one household's events (its stream, oldest first)
// into its document, opening contacts with keys: the households read
// model's own fold, for answers as of a moment.
func FoldHousehold(ctx context.Context, keys Opener, events []event.Recorded) (Household, error) {
	var d Household
	h := Households{Keys: keys}
	for _, e := range events {
		id, p, ok, err := ofStream(e, household.StreamPrefix, household.Decode)
		if err != nil {
			return d, err
		}
		if !ok {
			continue
		}
		if err := h.fold(ctx, &d, id, p, e); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (d *Household) erase() {
	d.Owner, d.Phones, d.Erased = Erased, []string{}, true
}

func (h Households) open(ctx context.Context, stream string, v household.Sealed) (household.Contact, error) {
	var c household.Contact
	if h.Keys == nil {
		return c, fmt.Errorf("households: no key store to open %s", stream)
	}
	b, err := h.Keys.Open(ctx, stream, v)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("households: the contact of %s: %w", stream, err)
	}
	if c.Phones == nil {
		c.Phones = []string{}
	}
	return c, nil
}

// AccessLogIndex is the access-log read model's name.
const AccessLogIndex = "access-log"

// Fields of the access log that its endpoint filters on.
const (
	AccessUnitsField = "units"
	AccessStaffField = "staff"
	AccessAtField    = "at"
)

// PersonalDataAccess is one answer that showed owners' unmasked personal
// data: who, with which role, through which endpoint, which units, when.
type PersonalDataAccess struct {
	ID       string    `json:"id"`
	Project  string    `json:"project"`
	District string    `json:"district,omitempty"`
	Staff    string    `json:"staff"`
	Role     string    `json:"role"`
	Route    string    `json:"route"`
	Units    []string  `json:"units"`
	At       time.Time `json:"at"`
}

// AccessLog projects the personal-data read streams (personaldata-…): one
// document per read.
type AccessLog struct{}

func (AccessLog) Name() string { return AccessLogIndex }

func (AccessLog) Schema() Schema {
	return Schema{Name: AccessLogIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, AccessStaffField: Keyword, "role": Keyword,
		"route": Keyword, AccessUnitsField: Keyword, AccessAtField: Date,
	}}
}

func (AccessLog) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	if !strings.HasPrefix(e.Stream, household.AccessStreamPrefix) {
		return nil
	}
	p, err := household.Decode(e.Type, e.Data)
	if err != nil {
		return err
	}
	r, ok := p.(household.PersonalDataRead)
	if !ok {
		return nil
	}
	id := fmt.Sprintf("%s@%d", e.Stream, e.Revision)
	if _, found, err := docs.Get(ctx, id); err != nil || found {
		return err
	}
	src, err := json.Marshal(PersonalDataAccess{ID: id, Project: e.Meta.Project, District: e.Meta.District,
		Staff: e.Meta.Actor.StaffID, Role: e.Meta.Actor.Role, Route: r.Route, Units: r.Units, At: r.At})
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: e.Revision, Source: src})
	return nil
}
