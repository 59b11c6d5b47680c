// Package fee is the bill aggregate (收费管理, R-F2, R-F3): a unit's
// charges for a period in integer fen, payments each with a receipt number,
// arrears reminders by phone, visit, bill or SMS, and the ageing of unpaid
// overdue bills (0–30, 31–90, 91–180, over 180 days). Collection plans
// (R-F1) and ledger reconciliation (R-F4) are the plan and ledger packages.
package fee

import (
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Channel is how arrears were chased (R-F3: 电话、上户、发单、短信).
type Channel string

const (
	ChannelPhone Channel = "phone"
	ChannelVisit Channel = "visit"
	ChannelBill  Channel = "bill"
	ChannelSMS   Channel = "sms"
)

// Valid reports whether c is one of the four channels.
func (c Channel) Valid() bool {
	return c == ChannelPhone || c == ChannelVisit || c == ChannelBill || c == ChannelSMS
}

// Bucket is an arrears ageing bucket, by whole days past due.
type Bucket string

const (
	BucketNone    Bucket = ""
	Bucket0To30   Bucket = "0-30"
	Bucket31To90  Bucket = "31-90"
	Bucket91To180 Bucket = "91-180"
	BucketOver180 Bucket = "over-180"
)

// BucketFor is the bucket of a bill daysOverdue whole days past due.
func BucketFor(daysOverdue int) Bucket {
	switch {
	case daysOverdue < 0:
		return BucketNone
	case daysOverdue <= 30:
		return Bucket0To30
	case daysOverdue <= 90:
		return Bucket31To90
	case daysOverdue <= 180:
		return Bucket91To180
	}
	return BucketOver180
}

// Spec is what is billed.
type Spec struct {
	Project, District, Unit, Butler, Period string
	Items                                   []Item
	Due                                     time.Time
}

// Payment is money received.
type Payment struct {
	AmountFen int64
	ReceiptNo string
	Method    string
}

// Bill is the aggregate. Build one with Issue or FromHistory.
type Bill struct {
	id, project, district, butler, period string
	total, paid                           int64
	due                                   time.Time
	bucket                                Bucket
	receipts                              map[string]bool
	influential                           bool

	changes []event.Payload
}

// Issue bills a unit's charges for a period.
func Issue(id string, s Spec, now time.Time) (*Bill, error) {
	for _, v := range []string{id, s.Project, s.District, s.Unit, s.Butler} {
		if blank(v) {
			return nil, ErrBillIncomplete
		}
	}
	if _, err := time.Parse("2006-01", s.Period); err != nil {
		return nil, ErrPeriodInvalid
	}
	if len(s.Items) == 0 {
		return nil, ErrNoItems
	}
	var total int64
	for _, it := range s.Items {
		if blank(it.Name) {
			return nil, ErrItemNameMissing
		}
		if it.AmountFen <= 0 {
			return nil, ErrAmountInvalid
		}
		total += it.AmountFen
	}
	if s.Due.IsZero() {
		return nil, ErrDueMissing
	}
	b := &Bill{}
	b.record(Billed{BillID: id, Project: s.Project, District: s.District, Unit: s.Unit, Butler: s.Butler, Period: s.Period,
		Items: append([]Item(nil), s.Items...), TotalFen: total, Due: s.Due, At: now})
	return b, nil
}

// FromHistory rebuilds a bill from its stored events, oldest first.
func FromHistory(history []event.Payload) (*Bill, error) {
	b := &Bill{}
	for _, p := range history {
		if err := b.apply(p); err != nil {
			return nil, err
		}
	}
	if b.id == "" {
		return nil, ErrNotIssued
	}
	return b, nil
}

// RecordPayment records money received; every payment has a receipt
// number (R-F2).
func (b *Bill) RecordPayment(p Payment, now time.Time) error {
	if b.Outstanding() == 0 {
		return ErrPaid
	}
	if blank(p.ReceiptNo) {
		return ErrReceiptMissing
	}
	if p.AmountFen <= 0 {
		return ErrAmountInvalid
	}
	if p.AmountFen > b.Outstanding() {
		return ErrOverpaid
	}
	if b.receipts[strings.TrimSpace(p.ReceiptNo)] {
		return ErrReceiptReused
	}
	b.record(PaymentRecorded{AmountFen: p.AmountFen, ReceiptNo: strings.TrimSpace(p.ReceiptNo), Method: p.Method,
		Butler: b.butler, Period: b.period, OutstandingFen: b.Outstanding() - p.AmountFen, At: now})
	return nil
}

// Remind records an attempt to collect arrears (R-F3).
func (b *Bill) Remind(ch Channel, note string, now time.Time) error {
	if b.Outstanding() == 0 {
		return ErrPaid
	}
	if now.Before(b.due) {
		return ErrNotInArrears
	}
	if !ch.Valid() {
		return ErrUnknownChannel
	}
	if blank(note) {
		return ErrReminderNoteMiss
	}
	b.record(ArrearsReminded{Channel: ch, Note: note, At: now})
	return nil
}

// FlagInfluential marks the owner in arrears as influential: the case is
// handled by guidance (R-F6). Only a bill in arrears (overdue, unpaid).
func (b *Bill) FlagInfluential(reason string, now time.Time) error {
	if b.Outstanding() == 0 {
		return ErrPaid
	}
	if now.Before(b.due) {
		return ErrNotInArrears
	}
	if b.influential {
		return ErrAlreadyFlagged
	}
	if blank(reason) {
		return ErrFlagReasonMiss
	}
	b.record(InfluentialFlagged{Reason: strings.TrimSpace(reason), At: now})
	return nil
}

// RecordGuidance records a guidance talk with the influential owner (R-F6).
func (b *Bill) RecordGuidance(note string, now time.Time) error {
	if !b.influential {
		return ErrNotFlagged
	}
	if blank(note) {
		return ErrGuidanceNoteMiss
	}
	b.record(GuidanceRecorded{Note: strings.TrimSpace(note), At: now})
	return nil
}

// RecordAgeing records the bucket an unpaid overdue bill has reached, when
// it changed. It reports whether it recorded the event.
func (b *Bill) RecordAgeing(now time.Time) (bool, error) {
	if b.Outstanding() == 0 || now.Before(b.due) {
		return false, nil
	}
	days := int(now.Sub(b.due) / (24 * time.Hour))
	bucket := BucketFor(days)
	if bucket == b.bucket {
		return false, nil
	}
	b.record(ArrearsAged{Bucket: bucket, DaysOverdue: days, At: now})
	return true, nil
}

// Accessors.
func (b *Bill) ID() string         { return b.id }
func (b *Bill) Project() string    { return b.project }
func (b *Bill) District() string   { return b.district }
func (b *Bill) Outstanding() int64 { return b.total - b.paid }
func (b *Bill) Bucket() Bucket     { return b.bucket }

// Changes returns the events recorded since the bill was built.
func (b *Bill) Changes() []event.Payload { return b.changes }

func (b *Bill) record(p event.Payload) {
	_ = b.apply(p)
	b.changes = append(b.changes, p)
}

// apply is the one place state changes, for new and replayed events alike.
func (b *Bill) apply(p event.Payload) error {
	if _, first := p.(Billed); first != (b.id == "") {
		return fmt.Errorf("fee: %s out of order: %w", p.EventType(), ErrNotIssued)
	}
	switch e := p.(type) {
	case Billed:
		b.id, b.project, b.district, b.butler, b.period = e.BillID, e.Project, e.District, e.Butler, e.Period
		b.total, b.due, b.receipts = e.TotalFen, e.Due, map[string]bool{}
	case PaymentRecorded:
		b.paid += e.AmountFen
		b.receipts[e.ReceiptNo] = true
		if b.Outstanding() == 0 {
			b.bucket = BucketNone
		}
	case ArrearsReminded:
	case ArrearsAged:
		b.bucket = e.Bucket
	case InfluentialFlagged:
		b.influential = true
	case GuidanceRecorded:
	default:
		return fmt.Errorf("fee: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
