// Package lostproperty is the register of found property (拾遗上交, R-S9:
// 拾遗不上交 is a prohibited act): what a staff member found is registered
// by its finder, handed in to another member who keeps it (the service
// centre) within HandInWithin, and then returned to its owner or, after
// HoldDays unclaimed, disposed of with the project manager's decision. A
// find not handed in in time is recorded overdue by a time rule; whoever
// suspects an item was kept reports it through the integrity reports
// (R-S6).
//
// Stream: lostproperty-<id>.
//
//	found ─hand in─▶ held ─return─▶ returned
//	  │                 └─dispose (≥ HoldDays)─▶ disposed
//	  └─(not handed in within 24 h: hand_in_overdue recorded)
package lostproperty

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// StreamPrefix starts the stream name of every found item.
const StreamPrefix = "lostproperty-"

// Stream is the stream of one found item.
func Stream(id string) string { return StreamPrefix + id }

// Stored event type names.
const (
	TypeFound         = "lostproperty.found.v1"
	TypeHandedIn      = "lostproperty.handed_in.v1"
	TypeReturned      = "lostproperty.returned.v1"
	TypeDisposed      = "lostproperty.disposed.v1"
	TypeHandInOverdue = "lostproperty.hand_in_overdue.v1"
)

// HandInWithin is how soon a found item is handed in after it is
// registered.
const HandInWithin = 24 * time.Hour

// HoldDays is how long an unclaimed item is kept before it may be
// disposed of.
const HoldDays = 90

// DisposalMethods say what became of an unclaimed item.
var DisposalMethods = []string{"police", "donated", "destroyed", "other"}

// Statuses.
const (
	StatusFound    = "found"
	StatusHeld     = "held"
	StatusReturned = "returned"
	StatusDisposed = "disposed"
)

// Found: a staff member registered what they found.
type Found struct {
	ItemID      string    `json:"item_id"`
	Project     string    `json:"project"`
	District    string    `json:"district,omitempty"`
	Description string    `json:"description"`
	Place       string    `json:"place"`
	FoundAt     time.Time `json:"found_at"`
	Finder      string    `json:"finder"`
	At          time.Time `json:"at"`
}

// HandedIn: the item was handed in to a keeper.
type HandedIn struct {
	Keeper  string    `json:"keeper"`
	Storage string    `json:"storage,omitempty"`
	At      time.Time `json:"at"`
}

// Returned: the item went back to its owner. The owner is named by unit
// (or "visitor") and the proof of ownership checked, never by name or
// phone (R-D3).
type Returned struct {
	ClaimantUnit string    `json:"claimant_unit"`
	Proof        string    `json:"proof"`
	At           time.Time `json:"at"`
}

// Disposed: an unclaimed item was disposed of, on the project manager's
// decision.
type Disposed struct {
	Method string    `json:"method"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// HandInOverdue: a time rule found the item not handed in in time.
type HandInOverdue struct {
	DueAt time.Time `json:"due_at"`
	At    time.Time `json:"at"`
}

func (Found) EventType() string         { return TypeFound }
func (HandedIn) EventType() string      { return TypeHandedIn }
func (Returned) EventType() string      { return TypeReturned }
func (Disposed) EventType() string      { return TypeDisposed }
func (HandInOverdue) EventType() string { return TypeHandInOverdue }

// Decode turns a stored event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeFound:
		return decode[Found](eventType, data)
	case TypeHandedIn:
		return decode[HandedIn](eventType, data)
	case TypeReturned:
		return decode[Returned](eventType, data)
	case TypeDisposed:
		return decode[Disposed](eventType, data)
	case TypeHandInOverdue:
		return decode[HandInOverdue](eventType, data)
	}
	return nil, fmt.Errorf("lostproperty: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("lostproperty: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotFound           = errors.New("the found item is not registered")
	ErrFindIncomplete     = errors.New("a found item is registered with what it is, where it was found and when")
	ErrFoundInFuture      = errors.New("an item cannot be found after it is registered")
	ErrKeeperIsFinder     = errors.New("a found item is handed in to another staff member, not kept by its finder (拾遗上交)")
	ErrNotHeld            = errors.New("only an item handed in and held can be returned or disposed of")
	ErrAlreadyHandedIn    = errors.New("the item is already handed in")
	ErrReturnIncomplete   = errors.New("a return names the claimant's unit (or visitor) and the proof of ownership checked")
	ErrHeldTooShort       = errors.New("an unclaimed item is kept 90 days before it is disposed of")
	ErrDisposalIncomplete = errors.New("a disposal says how (police, donated, destroyed, other) and why")
)

// Item is the aggregate.
type Item struct {
	id, project, district, status, finder string
	foundAt, registeredAt                 time.Time
	overdue                               bool
	changes                               []event.Payload
}

// Register records a find; the finder is the caller.
func Register(f Found) (*Item, error) {
	if blank(f.ItemID) || blank(f.Project) || blank(f.Finder) || blank(f.Description) || blank(f.Place) || f.FoundAt.IsZero() {
		return nil, ErrFindIncomplete
	}
	if f.FoundAt.After(f.At) {
		return nil, ErrFoundInFuture
	}
	it := &Item{}
	it.record(f)
	return it, nil
}

// FromHistory rebuilds an item from its events.
func FromHistory(history []event.Payload) (*Item, error) {
	it := &Item{}
	for _, p := range history {
		if err := it.apply(p); err != nil {
			return nil, err
		}
	}
	if it.id == "" {
		return nil, ErrNotFound
	}
	return it, nil
}

// HandIn records that keeper received the item.
func (it *Item) HandIn(keeper, storage string, now time.Time) error {
	if it.status != StatusFound {
		return ErrAlreadyHandedIn
	}
	if keeper == it.finder {
		return ErrKeeperIsFinder
	}
	it.record(HandedIn{Keeper: keeper, Storage: storage, At: now})
	return nil
}

// Return records the item going back to its owner.
func (it *Item) Return(claimantUnit, proof string, now time.Time) error {
	if it.status != StatusHeld {
		return ErrNotHeld
	}
	if blank(claimantUnit) || blank(proof) {
		return ErrReturnIncomplete
	}
	it.record(Returned{ClaimantUnit: strings.TrimSpace(claimantUnit), Proof: proof, At: now})
	return nil
}

// Dispose records what became of an item unclaimed for HoldDays.
func (it *Item) Dispose(method, reason string, now time.Time) error {
	if it.status != StatusHeld {
		return ErrNotHeld
	}
	ok := false
	for _, m := range DisposalMethods {
		ok = ok || m == method
	}
	if !ok || blank(reason) {
		return ErrDisposalIncomplete
	}
	if now.Before(it.foundAt.AddDate(0, 0, HoldDays)) {
		return ErrHeldTooShort
	}
	it.record(Disposed{Method: method, Reason: reason, At: now})
	return nil
}

// HandInDue is when the item must have been handed in.
func (it *Item) HandInDue() time.Time { return it.registeredAt.Add(HandInWithin) }

// RecordHandInOverdue is the time rule: the item is still with its finder
// after HandInWithin. False when nothing is due.
func (it *Item) RecordHandInOverdue(now time.Time) (bool, error) {
	if it.status != StatusFound || it.overdue || now.Before(it.HandInDue()) {
		return false, nil
	}
	it.record(HandInOverdue{DueAt: it.HandInDue(), At: now})
	return true, nil
}

// Accessors.
func (it *Item) ID() string               { return it.id }
func (it *Item) Project() string          { return it.project }
func (it *Item) District() string         { return it.district }
func (it *Item) Status() string           { return it.status }
func (it *Item) Changes() []event.Payload { return it.changes }

func (it *Item) record(p event.Payload) {
	_ = it.apply(p)
	it.changes = append(it.changes, p)
}

func (it *Item) apply(p event.Payload) error {
	switch e := p.(type) {
	case Found:
		it.id, it.project, it.district, it.finder = e.ItemID, e.Project, e.District, e.Finder
		it.foundAt, it.registeredAt, it.status = e.FoundAt, e.At, StatusFound
	case HandedIn:
		it.status = StatusHeld
	case Returned:
		it.status = StatusReturned
	case Disposed:
		it.status = StatusDisposed
	case HandInOverdue:
		it.overdue = true
	default:
		return fmt.Errorf("lostproperty: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
