package archive_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/household"

	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
)

var (
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	opened  = archive.Opened{ArchiveID: "a1", Project: "p1", District: "d1", Household: "3-2-501", At: t0}
	doc     = archive.DocumentAdded{Document: "业主信息表", Kind: "form", At: t0}
	request = archive.LoanRequested{Borrower: "b-1", Purpose: "核对产权", At: t0}
	signed  = archive.LoanSigned{SignedBy: "pm-1", At: t0}
)

func TestArchiveRules(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name  string
		given []event.Payload
		when  func(a *archive.Archive) error
		then  []event.Payload
		err   error
	}{
		{"catalogue a document", []event.Payload{opened},
			func(a *archive.Archive) error { return a.AddDocument("前期物业服务协议", "agreement", now) },
			[]event.Payload{archive.DocumentAdded{Document: "前期物业服务协议", Kind: "agreement", At: now}}, nil},
		{"a document is catalogued once", []event.Payload{opened, doc},
			func(a *archive.Archive) error { return a.AddDocument("业主信息表", "form", now) }, nil, archive.ErrDuplicateDocument},
		{"R-D1 a loan request", []event.Payload{opened},
			func(a *archive.Archive) error { return a.RequestLoan("b-1", "核对产权", now) },
			[]event.Payload{archive.LoanRequested{Borrower: "b-1", Purpose: "核对产权", At: now}}, nil},
		{"R-D1 only the project manager signs", []event.Payload{opened, request},
			func(a *archive.Archive) error { return a.SignLoan("s-1", "supervisor", now) }, nil, archive.ErrSignerNotManager},
		{"R-D1 nothing to sign without a request", []event.Payload{opened},
			func(a *archive.Archive) error { return a.SignLoan("pm-1", "project_manager", now) }, nil, archive.ErrNoLoanRequest},
		{"R-D1 the project manager signs and it goes out", []event.Payload{opened, request},
			func(a *archive.Archive) error { return a.SignLoan("pm-1", "project_manager", now) },
			[]event.Payload{archive.LoanSigned{SignedBy: "pm-1", At: now}}, nil},
		{"an archive on loan is not lent again", []event.Payload{opened, request, signed},
			func(a *archive.Archive) error { return a.RequestLoan("b-2", "x", now) }, nil, archive.ErrOnLoan},
		{"return closes the loan", []event.Payload{opened, request, signed},
			func(a *archive.Archive) error { return a.Return(now) }, []event.Payload{archive.Returned{At: now}}, nil},
		{"return without a loan", []event.Payload{opened},
			func(a *archive.Archive) error { return a.Return(now) }, nil, archive.ErrNotOnLoan},
		{"R-D2 a catalogue check finds a document missing", []event.Payload{opened, doc},
			func(a *archive.Archive) error { return a.CheckCatalogue([]string{"业主信息表"}, now) },
			[]event.Payload{archive.CatalogueChecked{Missing: []string{"业主信息表"}, Matches: false, At: now}}, nil},
		{"R-D2 a catalogue check that matches", []event.Payload{opened, doc},
			func(a *archive.Archive) error { return a.CheckCatalogue(nil, now) },
			[]event.Payload{archive.CatalogueChecked{Missing: []string{}, Matches: true, At: now}}, nil},
		{"R-D2 missing documents are catalogued ones", []event.Payload{opened},
			func(a *archive.Archive) error { return a.CheckCatalogue([]string{"照片"}, now) }, nil, archive.ErrUnknownDocument},
		{"R-D2 a loss names who is accountable", []event.Payload{opened, request, signed},
			func(a *archive.Archive) error { return a.ReportLost("", "遗失", now) }, nil, archive.ErrAccountableMissing},
		{"R-D2 loss with accountability", []event.Payload{opened, request, signed},
			func(a *archive.Archive) error { return a.ReportLost("b-1", "借阅期间遗失", now) },
			[]event.Payload{archive.Lost{Accountable: "b-1", Reason: "借阅期间遗失", At: now}}, nil},
		{"a lost archive is not lent", []event.Payload{opened, archive.Lost{Accountable: "x", Reason: "y", At: t0}},
			func(a *archive.Archive) error { return a.RequestLoan("b-1", "x", now) }, nil, archive.ErrLost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := archive.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(a); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(a.Changes(), tt.then) {
				t.Fatalf("changes = %#v", a.Changes())
			}
		})
	}
}

func TestOpenAndAccess(t *testing.T) {
	t.Parallel()
	o := opened
	o.Household = ""
	if _, err := archive.Open(o); !errors.Is(err, archive.ErrOpenIncomplete) {
		t.Fatalf("open without household: %v", err)
	}
	if _, err := archive.RecordAccess("a1", "3-2-501", "", "auditor", "detail", t0); !errors.Is(err, archive.ErrAccessIncomplete) {
		t.Fatalf("R-D3 an access names the reader: %v", err)
	}
	got, err := archive.RecordAccess("a1", "3-2-501", "au-1", "auditor", "detail", t0)
	if err != nil || got.Reader != "au-1" || got.What != "detail" {
		t.Fatalf("access = %+v %v", got, err)
	}
}

// R-K5: a key loan form goes into the archive of the key's own unit, once
// per loan and stage, with the loan's details.
func TestFileKeyLoanForm(t *testing.T) {
	t.Parallel()
	now := t0.Add(2 * time.Hour)
	lentAt, due := t0.Add(time.Hour), t0.Add(9*time.Hour)
	form := archive.KeyLoanForm{KeyID: "k1", Tag: "K-001", Unit: "3-2-501", Loan: 1, Stage: "lent", Borrower: "李师傅",
		Authorisation: &household.Sealed{KeyID: "k", Ciphertext: []byte("x")}, AuthorisationRef: "SQ-17", LentAt: lentAt, Due: due}
	a, err := archive.FromHistory([]event.Payload{opened})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.FileKeyLoanForm(form, now); err != nil {
		t.Fatal(err)
	}
	want := archive.KeyLoanFormFiled{Document: "钥匙借用单 K-001（k1）#1", KeyID: "k1", Tag: "K-001", Loan: 1, Stage: "lent",
		Borrower: "李师傅", Authorisation: &household.Sealed{KeyID: "k", Ciphertext: []byte("x")}, AuthorisationRef: "SQ-17", LentAt: lentAt, Due: due, At: now}
	if !reflect.DeepEqual(a.Changes(), []event.Payload{want}) {
		t.Fatalf("changes = %#v", a.Changes())
	}
	if err := a.FileKeyLoanForm(form, now); !errors.Is(err, archive.ErrDuplicateDocument) {
		t.Fatalf("filed twice: err = %v", err)
	}
	ret := form
	ret.Stage, ret.ReturnedAt = "returned", now
	if err := a.FileKeyLoanForm(ret, now); err != nil {
		t.Fatalf("the return is its own entry: %v", err)
	}

	other := form
	other.Unit = "3-2-502"
	noRef := form
	noRef.AuthorisationRef = ""
	noReturn := form
	noReturn.Stage = "returned"
	for _, c := range []struct {
		name string
		f    archive.KeyLoanForm
		err  error
	}{
		{"another unit's key", other, archive.ErrWrongHousehold},
		{"no authorisation reference", noRef, archive.ErrLoanFormIncomplete},
		{"a return without its time", noReturn, archive.ErrLoanFormIncomplete},
	} {
		b, _ := archive.FromHistory([]event.Payload{opened})
		if err := b.FileKeyLoanForm(c.f, now); !errors.Is(err, c.err) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.err)
		}
	}
	lost, _ := archive.FromHistory([]event.Payload{opened, archive.Lost{Accountable: "x", Reason: "y", At: t0}})
	if err := lost.FileKeyLoanForm(form, now); !errors.Is(err, archive.ErrLost) {
		t.Fatalf("lost archive: err = %v", err)
	}
}

// R-D2 "regularly": every archive is checked at least once in each full
// calendar quarter (project time) after the quarter it was opened in; a
// quarter that ends without a check is recorded missed, once.
func TestQuarterlyChecks(t *testing.T) {
	t.Parallel()
	cst := archive.Zone
	openedAt := time.Date(2026, 2, 10, 9, 0, 0, 0, cst) // 2026-Q1: catalogued then
	open := archive.Opened{ArchiveID: "a1", Project: "p1", District: "d1", Household: "3-2-501", At: openedAt}
	q2End := time.Date(2026, 7, 1, 0, 0, 0, 0, cst)
	q3End := time.Date(2026, 10, 1, 0, 0, 0, 0, cst)
	missed := func(q string, due time.Time, at time.Time) event.Payload {
		return archive.CheckMissed{Quarter: q, DueBy: due, At: at}
	}
	tests := []struct {
		name  string
		given []event.Payload
		now   time.Time
		then  []event.Payload
	}{
		{"the opening quarter needs no check", []event.Payload{open}, q2End.Add(-time.Second), nil},
		{"Q2 ended unchecked", []event.Payload{open}, q2End, []event.Payload{missed("2026-Q2", q2End, q2End)}},
		{"a check in Q2 (project time) satisfies Q2",
			[]event.Payload{open, archive.CatalogueChecked{Missing: []string{}, Matches: true, At: time.Date(2026, 6, 30, 23, 0, 0, 0, cst)}},
			q2End.Add(time.Hour), nil},
		{"a check at 00:30 on 1 July in China is Q3's, not Q2's",
			[]event.Payload{open, archive.CatalogueChecked{Missing: []string{}, Matches: true, At: time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC)}},
			q2End.Add(time.Hour), []event.Payload{missed("2026-Q2", q2End, q2End.Add(time.Hour))}},
		{"recorded once per quarter", []event.Payload{open, missed("2026-Q2", q2End, q2End)}, q2End.Add(24 * time.Hour), nil},
		{"a late run records every quarter missed", []event.Payload{open}, q3End,
			[]event.Payload{missed("2026-Q2", q2End, q3End), missed("2026-Q3", q3End, q3End)}},
		{"a lost archive is not checked", []event.Payload{open, archive.Lost{Accountable: "ar1", Reason: "x", At: openedAt}}, q3End, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := archive.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.RecordMissedChecks(tt.now); got != (tt.then != nil) {
				t.Fatalf("recorded = %v", got)
			}
			if !reflect.DeepEqual(a.Changes(), tt.then) {
				t.Fatalf("changes = %#v", a.Changes())
			}
		})
	}
	accounted := map[string]bool{"2026-Q2": true}
	if due := archive.CheckDueBy(openedAt, func(q string) bool { return accounted[q] }); !due.Equal(q3End) {
		t.Fatalf("next check due %v, want the end of Q3", due)
	}
	if m := archive.QuarterLastMonth(time.Date(2026, 8, 3, 0, 0, 0, 0, cst)); m != "2026-09" {
		t.Fatalf("Q3's last month = %s", m)
	}
}
