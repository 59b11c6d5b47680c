package household

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names. They are part of the history: never rename one;
// add a .v2 and upcast instead.
const (
	TypeContactRecorded  = "household.contact_recorded.v1"
	TypeErased           = "household.erased.v1"
	TypePersonalDataRead = "personaldata.read.v1"
)

// ErasedText is what every read shows in place of erased personal data
// (已删除: deleted).
const ErasedText = "已删除"

// Sealed is a value encrypted with AES-256-GCM under one household's data
// key; the additional data is the household's stream name. Nonce and
// Ciphertext are base64 in JSON.
type Sealed struct {
	KeyID      string `json:"key_id"`
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

// Contact is the household's personal data, the plaintext of a sealed
// contact: the owner's name and phones.
type Contact struct {
	Owner  string   `json:"owner"`
	Phones []string `json:"phones"`
}

// ContactRecorded: the household's contact, sealed under its key. The
// newest one is the household's contact.
type ContactRecorded struct {
	Unit    string    `json:"unit"`
	Contact Sealed    `json:"contact"`
	At      time.Time `json:"at"`
}

// Erased: the owner's personal data was erased (PIPL art. 47): the
// household's keys are destroyed, so no contact recorded before can be
// read again. A later contact (a new owner) is sealed under a new key.
type Erased struct {
	Unit   string    `json:"unit"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// PersonalDataRead: one answer showed owners' unmasked personal data to a
// member of staff (R-D3). The reader is the event's actor.
type PersonalDataRead struct {
	// Route is the endpoint's route pattern (/api/v1/complaints/:id).
	Route string `json:"route"`
	// Units are the households whose data the answer showed.
	Units []string  `json:"units"`
	At    time.Time `json:"at"`
}

func (ContactRecorded) EventType() string  { return TypeContactRecorded }
func (Erased) EventType() string           { return TypeErased }
func (PersonalDataRead) EventType() string { return TypePersonalDataRead }

// Decode turns a stored household or access event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeContactRecorded:
		return decode[ContactRecorded](eventType, data)
	case TypeErased:
		return decode[Erased](eventType, data)
	case TypePersonalDataRead:
		return decode[PersonalDataRead](eventType, data)
	}
	return nil, fmt.Errorf("household: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("household: decode %s: %w", eventType, err)
	}
	return p, nil
}
