package unit

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names. They are part of the history: never rename one;
// add a .v2 and upcast instead.
const (
	TypeRegistered        = "units.registered.v1"
	TypeStatusChanged     = "units.status_changed.v1"
	TypeKeyClientMarked   = "units.key_client_marked.v1"
	TypeKeyClientUnmarked = "units.key_client_unmarked.v1"
)

// Unit is one registered unit (房屋) of a district: its code, its building
// and whether a household lives in it. No personal data: the owner's name
// and phones are the household's, sealed (domain/household).
type Unit struct {
	Unit     string `json:"unit"`
	Building string `json:"building"`
	Status   Status `json:"status"`
}

// Registered: units added to the district's register, many at once (a
// building, a compound's hand-over).
type Registered struct {
	Project  string    `json:"project"`
	District string    `json:"district"`
	Units    []Unit    `json:"units"`
	At       time.Time `json:"at"`
}

// StatusChanged: a unit became occupied or vacant.
type StatusChanged struct {
	Unit   string    `json:"unit"`
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
}

// KeyClientMarked: the unit's household is a key client (重点客户, R-H7),
// and why (a committee member, an influential owner, …; never a name or a
// phone).
type KeyClientMarked struct {
	Unit   string    `json:"unit"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// KeyClientUnmarked: the household is no longer a key client, and why.
type KeyClientUnmarked struct {
	Unit   string    `json:"unit"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

func (Registered) EventType() string        { return TypeRegistered }
func (StatusChanged) EventType() string     { return TypeStatusChanged }
func (KeyClientMarked) EventType() string   { return TypeKeyClientMarked }
func (KeyClientUnmarked) EventType() string { return TypeKeyClientUnmarked }

// Decode turns a stored register event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered:
		return decode[Registered](eventType, data)
	case TypeStatusChanged:
		return decode[StatusChanged](eventType, data)
	case TypeKeyClientMarked:
		return decode[KeyClientMarked](eventType, data)
	case TypeKeyClientUnmarked:
		return decode[KeyClientUnmarked](eventType, data)
	}
	return nil, fmt.Errorf("unit: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("unit: decode %s: %w", eventType, err)
	}
	return p, nil
}
