package key_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/household"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key"
)

var (
	t0         = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	registered = key.Registered{KeyID: "k1", Project: "p1", District: "d1", Unit: "3-2-1201", Tag: "K-001", Custodian: "c1", At: t0}
	loan       = key.Loan{Borrower: "装修工 李师傅", AuthorisedBy: "王女士", AuthorisationRef: "SQ-17", Due: t0.Add(8 * time.Hour)}
	sealedBy   = household.Sealed{KeyID: "k", Ciphertext: []byte("sealed:王女士")}
	lent       = key.Lent{Borrower: loan.Borrower, Authorisation: &sealedBy, AuthorisationRef: loan.AuthorisationRef, Due: loan.Due, At: t0.Add(time.Hour)}
	returned   = key.Returned{At: t0.Add(2 * time.Hour)}
	reported   = key.LossReported{Note: "钥匙柜找不到", At: t0.Add(3 * time.Hour)}
)

func TestRegister(t *testing.T) {
	t.Parallel()
	k, err := key.Register("k1", key.Registration{Project: "p1", District: "d1", Unit: "3-2-1201", Tag: "K-001", Custodian: "c1"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(k.Changes(), []event.Payload{registered}) {
		t.Fatalf("changes = %#v", k.Changes())
	}
	// R-K1: every key is tagged and registered with its custodian.
	for _, r := range []key.Registration{
		{Project: "p1", District: "d1", Unit: "3-2-1201", Custodian: "c1"},
		{Project: "p1", District: "d1", Unit: "3-2-1201", Tag: "K-001"},
		{Project: "p1", District: "d1", Tag: "K-001", Custodian: "c1"},
	} {
		if _, err := key.Register("k1", r, t0); !errors.Is(err, key.ErrRegistrationIncomplete) {
			t.Errorf("%+v: err = %v", r, err)
		}
	}
}

func TestKeyRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(4 * time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(k *key.Key) error
		then  []event.Payload
		err   error
	}{
		{"R-K2 lend with the owner's signature", []event.Payload{registered},
			func(k *key.Key) error { return k.Lend(loan, fakeSeal, lent.At) }, []event.Payload{lent}, nil},
		{"R-K2 a key on loan cannot be lent again", []event.Payload{registered, lent},
			func(k *key.Key) error { return k.Lend(loan, fakeSeal, now) }, nil, key.ErrOnLoan},
		{"R-K2 lending needs who signed", []event.Payload{registered},
			func(k *key.Key) error { l := loan; l.AuthorisedBy = ""; return k.Lend(l, fakeSeal, lent.At) }, nil, key.ErrAuthorisationMissing},
		{"R-K2 lending needs the authorisation reference", []event.Payload{registered},
			func(k *key.Key) error { l := loan; l.AuthorisationRef = " "; return k.Lend(l, fakeSeal, lent.At) }, nil, key.ErrAuthorisationMissing},
		{"a loan names the borrower", []event.Payload{registered},
			func(k *key.Key) error { l := loan; l.Borrower = ""; return k.Lend(l, fakeSeal, lent.At) }, nil, key.ErrBorrowerMissing},
		{"a loan is due after it starts", []event.Payload{registered},
			func(k *key.Key) error { return k.Lend(loan, fakeSeal, loan.Due) }, nil, key.ErrDueMissing},
		{"R-K2 return closes the loan", []event.Payload{registered, lent},
			func(k *key.Key) error { return k.Return(returned.At) }, []event.Payload{returned}, nil},
		{"a returned key may be lent again", []event.Payload{registered, lent, returned},
			func(k *key.Key) error { return k.Lend(loan, fakeSeal, returned.At) }, []event.Payload{key.Lent{Borrower: loan.Borrower, Authorisation: &sealedBy, AuthorisationRef: loan.AuthorisationRef, Due: loan.Due, At: returned.At}}, nil},
		{"a key in custody cannot be returned", []event.Payload{registered},
			func(k *key.Key) error { return k.Return(now) }, nil, key.ErrNotOnLoan},
		{"R-K4 loss is reported with a note", []event.Payload{registered, lent},
			func(k *key.Key) error { return k.ReportLoss("钥匙柜找不到", reported.At) }, []event.Payload{reported}, nil},
		{"R-K4 loss report needs a note", []event.Payload{registered},
			func(k *key.Key) error { return k.ReportLoss("", now) }, nil, key.ErrLossNoteMissing},
		{"R-K4 approval needs a report first", []event.Payload{registered},
			func(k *key.Key) error { return k.ApproveLoss("c1", "", now) }, nil, key.ErrLossNotReported},
		{"R-K4 approval names who is accountable", []event.Payload{registered, reported},
			func(k *key.Key) error { return k.ApproveLoss(" ", "", now) }, nil, key.ErrAccountableMissing},
		{"R-K4 approval with accountability", []event.Payload{registered, reported},
			func(k *key.Key) error { return k.ApproveLoss("c1", "赔偿换锁", now) }, []event.Payload{key.LossApproved{Accountable: "c1", Note: "赔偿换锁", At: now}}, nil},
		{"a lost key cannot be lent", []event.Payload{registered, reported},
			func(k *key.Key) error { return k.Lend(loan, fakeSeal, now) }, nil, key.ErrLost},
		{"a loss is approved once", []event.Payload{registered, reported, key.LossApproved{Accountable: "c1", At: now}},
			func(k *key.Key) error { return k.ApproveLoss("c1", "", now) }, nil, key.ErrLost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := key.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(k); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(k.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", k.Changes(), tt.then)
			}
		})
	}
}

func TestLoanOverdueIsRecordedOncePerLoan(t *testing.T) {
	t.Parallel()
	k, err := key.FromHistory([]event.Payload{registered, lent})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := k.RecordLoanOverdue(loan.Due.Add(-time.Minute)); ok {
		t.Fatal("recorded before the due time")
	}
	if ok, _ := k.RecordLoanOverdue(loan.Due); !ok {
		t.Fatal("not recorded at the due time")
	}
	if ok, _ := k.RecordLoanOverdue(loan.Due.Add(time.Hour)); ok {
		t.Fatal("recorded twice")
	}
	want := []event.Payload{key.LoanOverdue{Due: loan.Due, At: loan.Due}}
	if !reflect.DeepEqual(k.Changes(), want) {
		t.Fatalf("changes = %#v", k.Changes())
	}
	back, _ := key.FromHistory([]event.Payload{registered, lent, returned})
	if ok, _ := back.RecordLoanOverdue(loan.Due.Add(time.Hour)); ok {
		t.Fatal("a returned key is not overdue")
	}
}

func TestHistoryOrder(t *testing.T) {
	t.Parallel()
	if _, err := key.FromHistory([]event.Payload{lent}); !errors.Is(err, key.ErrNotRegistered) {
		t.Fatalf("err = %v", err)
	}
	if _, err := key.FromHistory([]event.Payload{registered, registered}); !errors.Is(err, key.ErrNotRegistered) {
		t.Fatalf("err = %v", err)
	}
}

// R-K5: every loan's form is filed into the owner's archive when the key
// goes out and again when it comes back; each filing is recorded once.
func TestLoanFormsFiled(t *testing.T) {
	t.Parallel()
	now := t0.Add(5 * time.Hour)
	k, err := key.FromHistory([]event.Payload{registered, lent})
	if err != nil {
		t.Fatal(err)
	}
	forms := k.PendingLoanForms()
	if len(forms) != 1 || forms[0].Stage != key.StageLent || forms[0].Loan != 1 || forms[0].Unit != "3-2-1201" ||
		forms[0].AuthorisationRef != "SQ-17" || forms[0].Authorisation == nil || string(forms[0].Authorisation.Ciphertext) != "sealed:王女士" || forms[0].Borrower != loan.Borrower || !forms[0].LentAt.Equal(lent.At) {
		t.Fatalf("pending = %+v", forms)
	}
	if err := k.RecordLoanFormFiled(1, key.StageReturned, "a1", "doc", now); !errors.Is(err, key.ErrNoLoanForm) {
		t.Fatalf("return filed before the key came back: err = %v", err)
	}
	if err := k.RecordLoanFormFiled(2, key.StageLent, "a1", "doc", now); !errors.Is(err, key.ErrNoLoanForm) {
		t.Fatalf("unknown loan: err = %v", err)
	}
	if err := k.RecordLoanFormFiled(1, key.StageLent, " ", "doc", now); !errors.Is(err, key.ErrFilingIncomplete) {
		t.Fatalf("no archive: err = %v", err)
	}
	if err := k.RecordLoanFormFiled(1, key.StageLent, "a1", "钥匙借用单 K-001（k1）#1", now); err != nil {
		t.Fatal(err)
	}
	want := key.LoanFormFiled{Loan: 1, Stage: key.StageLent, ArchiveID: "a1", Document: "钥匙借用单 K-001（k1）#1", At: now}
	if !reflect.DeepEqual(k.Changes(), []event.Payload{want}) {
		t.Fatalf("changes = %#v", k.Changes())
	}
	if err := k.RecordLoanFormFiled(1, key.StageLent, "a1", "x", now); !errors.Is(err, key.ErrLoanFormFiled) {
		t.Fatalf("filed twice: err = %v", err)
	}
	if got := k.PendingLoanForms(); len(got) != 0 {
		t.Fatalf("pending after filing = %+v", got)
	}

	// The return is a second filing of the same loan.
	k2, err := key.FromHistory([]event.Payload{registered, lent, want, returned})
	if err != nil {
		t.Fatal(err)
	}
	forms = k2.PendingLoanForms()
	if len(forms) != 1 || forms[0].Stage != key.StageReturned || !forms[0].ReturnedAt.Equal(returned.At) {
		t.Fatalf("pending after return = %+v", forms)
	}
	if err := k2.RecordLoanFormFiled(1, key.StageReturned, "a1", "doc", now); err != nil {
		t.Fatal(err)
	}
	if got := k2.PendingLoanForms(); len(got) != 0 {
		t.Fatalf("pending = %+v", got)
	}
}

// fakeSeal stands for the household's sealer.
func fakeSeal(name string) (household.Sealed, error) {
	return household.Sealed{KeyID: "k", Ciphertext: []byte("sealed:" + name)}, nil
}
