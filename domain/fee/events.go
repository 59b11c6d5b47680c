package fee

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names. They are part of the history: never rename one.
const (
	TypeBilled             = "fee.billed.v1"
	TypePaymentRecorded    = "fee.payment_recorded.v1"
	TypeArrearsReminded    = "fee.arrears_reminded.v1"
	TypeArrearsAged        = "fee.arrears_aged.v1"
	TypeInfluentialFlagged = "fee.influential_flagged.v1"
	TypeGuidanceRecorded   = "fee.guidance_recorded.v1"
)

// InfluentialFlagged: the owner in arrears on this bill is influential
// (a group leader, an owners' committee member…): the case is handled by
// guidance (疏导), not pressure (R-F6). Reason says why; it names no one.
type InfluentialFlagged struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// GuidanceRecorded: a guidance talk with the influential owner (R-F6).
type GuidanceRecorded struct {
	Note string    `json:"note"`
	At   time.Time `json:"at"`
}

func (InfluentialFlagged) EventType() string { return TypeInfluentialFlagged }
func (GuidanceRecorded) EventType() string   { return TypeGuidanceRecorded }

// Item is one charge on a bill, in integer fen (分).
type Item struct {
	Name      string `json:"name"`
	AmountFen int64  `json:"amount_fen"`
}

// Billed: a unit's charges for a period were billed.
type Billed struct {
	BillID   string    `json:"bill_id"`
	Project  string    `json:"project"`
	District string    `json:"district"`
	Unit     string    `json:"unit"`
	Butler   string    `json:"butler"`
	Period   string    `json:"period"`
	Items    []Item    `json:"items"`
	TotalFen int64     `json:"total_fen"`
	Due      time.Time `json:"due"`
	At       time.Time `json:"at"`
}

// PaymentRecorded: money was received against the bill, with its receipt
// (R-F2). Butler and Period are the bill's, so that collection against the
// butler's plan can be counted from this event alone (R-F1, R-F5).
type PaymentRecorded struct {
	AmountFen      int64     `json:"amount_fen"`
	ReceiptNo      string    `json:"receipt_no"`
	Method         string    `json:"method,omitempty"`
	Butler         string    `json:"butler"`
	Period         string    `json:"period"`
	OutstandingFen int64     `json:"outstanding_fen"`
	At             time.Time `json:"at"`
}

// ArrearsReminded: an attempt to collect arrears (R-F3).
type ArrearsReminded struct {
	Channel Channel   `json:"channel"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// ArrearsAged: an unpaid overdue bill entered an ageing bucket. Recorded by a policy.
type ArrearsAged struct {
	Bucket      Bucket    `json:"bucket"`
	DaysOverdue int       `json:"days_overdue"`
	At          time.Time `json:"at"`
}

func (Billed) EventType() string          { return TypeBilled }
func (PaymentRecorded) EventType() string { return TypePaymentRecorded }
func (ArrearsReminded) EventType() string { return TypeArrearsReminded }
func (ArrearsAged) EventType() string     { return TypeArrearsAged }

// Decode turns a stored bill event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeBilled:
		return decode[Billed](eventType, data)
	case TypePaymentRecorded:
		return decode[PaymentRecorded](eventType, data)
	case TypeArrearsReminded:
		return decode[ArrearsReminded](eventType, data)
	case TypeArrearsAged:
		return decode[ArrearsAged](eventType, data)
	case TypeInfluentialFlagged:
		return decode[InfluentialFlagged](eventType, data)
	case TypeGuidanceRecorded:
		return decode[GuidanceRecorded](eventType, data)
	}
	return nil, fmt.Errorf("fee: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("fee: decode %s: %w", eventType, err)
	}
	return p, nil
}
