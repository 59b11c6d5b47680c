package fee_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
)

var (
	t0     = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	due    = time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC) // 31 March 24:00 in China
	items  = []fee.Item{{Name: "物业服务费", AmountFen: 35000}, {Name: "公摊水电", AmountFen: 1250}}
	billed = fee.Billed{BillID: "f1", Project: "p1", District: "d1", Unit: "3-2-1201", Butler: "b1", Period: "2026-03",
		Items: items, TotalFen: 36250, Due: due, At: t0}
	paidPart = fee.PaymentRecorded{AmountFen: 36000, ReceiptNo: "R-0001", Butler: "b1", Period: "2026-03", OutstandingFen: 250, At: t0}
)

func TestIssue(t *testing.T) {
	t.Parallel()
	spec := fee.Spec{Project: "p1", District: "d1", Unit: "3-2-1201", Butler: "b1", Period: "2026-03", Items: items, Due: due}
	b, err := fee.Issue("f1", spec, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.Changes(), []event.Payload{billed}) {
		t.Fatalf("changes = %#v", b.Changes())
	}
	for _, tt := range []struct {
		name string
		edit func(s *fee.Spec)
		err  error
	}{
		{"amounts in whole fen above zero", func(s *fee.Spec) { s.Items = []fee.Item{{Name: "物业费", AmountFen: 0}} }, fee.ErrAmountInvalid},
		{"at least one charge", func(s *fee.Spec) { s.Items = nil }, fee.ErrNoItems},
		{"period is a month", func(s *fee.Spec) { s.Period = "March" }, fee.ErrPeriodInvalid},
		{"the collecting butler is named", func(s *fee.Spec) { s.Butler = "" }, fee.ErrBillIncomplete},
		{"due date required", func(s *fee.Spec) { s.Due = time.Time{} }, fee.ErrDueMissing},
		{"every charge is named", func(s *fee.Spec) { s.Items = []fee.Item{{AmountFen: 5}} }, fee.ErrItemNameMissing},
	} {
		s := spec
		tt.edit(&s)
		if _, err := fee.Issue("f1", s, t0); !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
	}
}

func TestBillRules(t *testing.T) {
	t.Parallel()
	late := due.Add(48 * time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(b *fee.Bill) error
		then  []event.Payload
		err   error
	}{
		{"R-F2 a payment with its receipt", []event.Payload{billed},
			func(b *fee.Bill) error {
				return b.RecordPayment(fee.Payment{AmountFen: 36000, ReceiptNo: "R-0001"}, t0)
			}, []event.Payload{paidPart}, nil},
		{"R-F2 no payment without a receipt number", []event.Payload{billed},
			func(b *fee.Bill) error { return b.RecordPayment(fee.Payment{AmountFen: 36250, ReceiptNo: " "}, t0) }, nil, fee.ErrReceiptMissing},
		{"a payment cannot exceed what is owed", []event.Payload{billed, paidPart},
			func(b *fee.Bill) error { return b.RecordPayment(fee.Payment{AmountFen: 251, ReceiptNo: "R-0002"}, t0) }, nil, fee.ErrOverpaid},
		{"a receipt number is used once", []event.Payload{billed, paidPart},
			func(b *fee.Bill) error { return b.RecordPayment(fee.Payment{AmountFen: 250, ReceiptNo: "R-0001"}, t0) }, nil, fee.ErrReceiptReused},
		{"a paid bill takes no more payments", []event.Payload{billed, paidPart, fee.PaymentRecorded{AmountFen: 250, ReceiptNo: "R-0002", At: t0}},
			func(b *fee.Bill) error { return b.RecordPayment(fee.Payment{AmountFen: 1, ReceiptNo: "R-0003"}, t0) }, nil, fee.ErrPaid},
		{"R-F3 arrears chased by SMS", []event.Payload{billed},
			func(b *fee.Bill) error { return b.Remind(fee.ChannelSMS, "短信提醒缴费", late) },
			[]event.Payload{fee.ArrearsReminded{Channel: fee.ChannelSMS, Note: "短信提醒缴费", At: late}}, nil},
		{"R-F3 only phone, visit, bill or SMS", []event.Payload{billed},
			func(b *fee.Bill) error { return b.Remind("wechat", "微信", late) }, nil, fee.ErrUnknownChannel},
		{"R-F3 each attempt says what was said", []event.Payload{billed},
			func(b *fee.Bill) error { return b.Remind(fee.ChannelPhone, "", late) }, nil, fee.ErrReminderNoteMiss},
		{"no arrears before the due date", []event.Payload{billed},
			func(b *fee.Bill) error { return b.Remind(fee.ChannelPhone, "电话", t0) }, nil, fee.ErrNotInArrears},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := fee.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(b); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(b.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", b.Changes(), tt.then)
			}
		})
	}
}

func TestArrearsAgeing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		days int
		want fee.Bucket
	}{{-1, fee.BucketNone}, {0, fee.Bucket0To30}, {30, fee.Bucket0To30}, {31, fee.Bucket31To90}, {90, fee.Bucket31To90},
		{91, fee.Bucket91To180}, {180, fee.Bucket91To180}, {181, fee.BucketOver180}} {
		if got := fee.BucketFor(tt.days); got != tt.want {
			t.Errorf("BucketFor(%d) = %q, want %q", tt.days, got, tt.want)
		}
	}
	b, _ := fee.FromHistory([]event.Payload{billed})
	if ok, _ := b.RecordAgeing(due.Add(-time.Hour)); ok {
		t.Fatal("aged before due")
	}
	steps := []struct {
		at time.Time
		ok bool
	}{{due, true}, {due.Add(24 * time.Hour), false}, {due.AddDate(0, 0, 31), true}, {due.AddDate(0, 0, 200), true}}
	for _, s := range steps {
		if ok, _ := b.RecordAgeing(s.at); ok != s.ok {
			t.Fatalf("at %s recorded = %v, want %v", s.at, ok, s.ok)
		}
	}
	if b.Bucket() != fee.BucketOver180 {
		t.Fatalf("bucket = %q", b.Bucket())
	}
	paid, _ := fee.FromHistory([]event.Payload{billed, fee.PaymentRecorded{AmountFen: 36250, ReceiptNo: "R-9", At: t0}})
	if ok, _ := paid.RecordAgeing(due.AddDate(0, 0, 40)); ok {
		t.Fatal("a paid bill has no arrears")
	}
}
