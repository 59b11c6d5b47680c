package commandcentre

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names.
const (
	TypeShiftOpened     = "shift.opened.v1"
	TypeMessageLogged   = "shift.message_logged.v1"
	TypeMessageHandled  = "shift.message_handled.v1"
	TypeShiftHandedOver = "shift.handed_over.v1"
	TypeShiftClosed     = "shift.closed.v1"
	TypeEmergencyRaised = "emergency.reported.v1"
	TypeEmergencyStep   = "emergency.step_done.v1"
	TypeEmergencyClosed = "emergency.closed.v1"
	TypeDrillHeld       = "commandcentre.drill_held.v1"
	TypeHandoverChecked = "commandcentre.handover_checked.v1"
)

// Message is a customer message as a shift holds it.
type Message struct {
	ID         string    `json:"id"`
	From       string    `json:"from"`
	Content    string    `json:"content"`
	ReceivedAt time.Time `json:"received_at"`
	// FromShift names the shift that handed the message over, if any.
	FromShift string `json:"from_shift,omitempty"`
}

// ShiftOpened: an operator started a shift; Carried are the messages the
// previous shift handed over (R-N1).
type ShiftOpened struct {
	ShiftID  string    `json:"shift_id"`
	Project  string    `json:"project"`
	Operator string    `json:"operator"`
	Night    bool      `json:"night"`
	Previous string    `json:"previous,omitempty"`
	Carried  []Message `json:"carried,omitempty"`
	At       time.Time `json:"at"`
}

// MessageLogged: a customer message received during the shift (R-N1).
type MessageLogged struct {
	Message
	At time.Time `json:"at"`
}

// MessageHandled: a message dealt with.
type MessageHandled struct {
	MessageID string    `json:"message_id"`
	Result    string    `json:"result"`
	At        time.Time `json:"at"`
}

// ShiftHandedOver: the open messages go to the next shift's operator.
type ShiftHandedOver struct {
	To         string    `json:"to"`
	MessageIDs []string  `json:"message_ids"`
	At         time.Time `json:"at"`
}

// ShiftClosed: the shift ended with every message handled or handed over.
type ShiftClosed struct {
	At time.Time `json:"at"`
}

// EmergencyReported: an emergency of a known type, with its procedure.
type EmergencyReported struct {
	EmergencyID string    `json:"emergency_id"`
	Project     string    `json:"project"`
	District    string    `json:"district,omitempty"`
	Type        string    `json:"type"`
	Location    string    `json:"location"`
	Steps       []string  `json:"steps"`
	At          time.Time `json:"at"`
}

// EmergencyStepDone: one procedure step carried out.
type EmergencyStepDone struct {
	Step string    `json:"step"`
	Note string    `json:"note,omitempty"`
	At   time.Time `json:"at"`
}

// EmergencyClosed: every step done, the emergency is over.
type EmergencyClosed struct {
	Summary string    `json:"summary"`
	At      time.Time `json:"at"`
}

// DrillHeld: an emergency drill (R-N2: monthly).
type DrillHeld struct {
	Type         string    `json:"type"`
	Participants int       `json:"participants"`
	Month        string    `json:"month"`
	At           time.Time `json:"at"`
}

// HandoverChecked: a check of a shift's handed-over items (R-N3: ≥2 a month).
type HandoverChecked struct {
	ShiftID string    `json:"shift_id"`
	Passed  bool      `json:"passed"`
	Notes   string    `json:"notes,omitempty"`
	Month   string    `json:"month"`
	At      time.Time `json:"at"`
}

func (ShiftOpened) EventType() string       { return TypeShiftOpened }
func (MessageLogged) EventType() string     { return TypeMessageLogged }
func (MessageHandled) EventType() string    { return TypeMessageHandled }
func (ShiftHandedOver) EventType() string   { return TypeShiftHandedOver }
func (ShiftClosed) EventType() string       { return TypeShiftClosed }
func (EmergencyReported) EventType() string { return TypeEmergencyRaised }
func (EmergencyStepDone) EventType() string { return TypeEmergencyStep }
func (EmergencyClosed) EventType() string   { return TypeEmergencyClosed }
func (DrillHeld) EventType() string         { return TypeDrillHeld }
func (HandoverChecked) EventType() string   { return TypeHandoverChecked }

// Decode turns a stored command-centre event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeShiftOpened:
		return decode[ShiftOpened](eventType, data)
	case TypeMessageLogged:
		return decode[MessageLogged](eventType, data)
	case TypeMessageHandled:
		return decode[MessageHandled](eventType, data)
	case TypeShiftHandedOver:
		return decode[ShiftHandedOver](eventType, data)
	case TypeShiftClosed:
		return decode[ShiftClosed](eventType, data)
	case TypeEmergencyRaised:
		return decode[EmergencyReported](eventType, data)
	case TypeEmergencyStep:
		return decode[EmergencyStepDone](eventType, data)
	case TypeEmergencyClosed:
		return decode[EmergencyClosed](eventType, data)
	case TypeDrillHeld:
		return decode[DrillHeld](eventType, data)
	case TypeHandoverChecked:
		return decode[HandoverChecked](eventType, data)
	}
	return nil, fmt.Errorf("commandcentre: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("commandcentre: decode %s: %w", eventType, err)
	}
	return p, nil
}
