package commands_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key"
)

// R-K5: the filing policy puts the loan form into the owner's archive of
// the key's unit, once per loan and stage, and the key records it.
func TestFileKeyLoanForm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newKeyHandlers()
	archivist := commands.Principal{StaffID: "ar1", Role: commands.RoleArchivist, Project: "p1"}
	open := commands.NewOpenArchiveHandler(h.store, h.clock, nil, testKeys())
	file := commands.NewFileKeyLoanFormHandler(h.store, h.clock, nil)
	own, err := open.Handle(ctx, as(archivist), commands.OpenArchive{Household: "3-2-1201", Owner: "王女士", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := open.Handle(ctx, as(archivist), commands.OpenArchive{Household: "3-2-1202", Owner: "赵先生", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.register.Handle(ctx, as(custodian), commands.RegisterKey{Unit: "3-2-1201", Tag: "K-001", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.ID
	l := goodLoan
	l.KeyID = id
	if _, err := h.lend.Handle(ctx, as(custodian), l); err != nil {
		t.Fatal(err)
	}
	// Another household's archive refuses the form.
	_, err = file.Handle(ctx, commands.Meta{}, commands.FileKeyLoanForm{KeyID: id, ArchiveID: other.ID})
	wantErr(t, err, apperr.Unprocessable, "wrong_household")

	r, err := file.Handle(ctx, commands.Meta{}, commands.FileKeyLoanForm{KeyID: id, ArchiveID: own.ID})
	if err != nil || !r.Recorded {
		t.Fatalf("file: %+v %v", r, err)
	}
	arc := h.store.stream(archive.Stream(own.ID))
	last := arc[len(arc)-1]
	if last.Type != archive.TypeKeyLoanFormFiledV2 || last.Meta.Actor.Role != "system" {
		t.Fatalf("archive's last event = %s by %+v", last.Type, last.Meta.Actor)
	}
	p, _ := archive.Decode(last.Type, last.Data)
	if f := p.(archive.KeyLoanFormFiled); f.AuthorisationRef != "SQ-17" || f.Authorisation == nil || f.AuthorisedBy != "" || f.Borrower != "李师傅" || f.KeyID != id || f.Stage != "lent" {
		t.Fatalf("filed = %+v", f)
	}
	ks := h.store.stream(key.Stream(id))
	if ks[len(ks)-1].Type != key.TypeLoanFormFiled {
		t.Fatalf("key's last event = %s", ks[len(ks)-1].Type)
	}
	// Nothing pending: a second run records nothing.
	if r, err := file.Handle(ctx, commands.Meta{}, commands.FileKeyLoanForm{KeyID: id, ArchiveID: own.ID}); err != nil || r.Recorded {
		t.Fatalf("second run: %+v %v", r, err)
	}
	// The return is filed too.
	if _, err := h.ret.Handle(ctx, as(custodian), commands.ReturnKey{KeyID: id}); err != nil {
		t.Fatal(err)
	}
	if r, err := file.Handle(ctx, commands.Meta{}, commands.FileKeyLoanForm{KeyID: id, ArchiveID: own.ID}); err != nil || !r.Recorded {
		t.Fatalf("return filing: %+v %v", r, err)
	}
	if n := len(h.store.stream(archive.Stream(own.ID))); n != 3 {
		t.Fatalf("archive has %d events, want opened + two forms", n)
	}
}

// R-K5: a filing whose key record lost a race leaves the form in the
// archive; the next run records only the key's side, never a second entry.
func TestFileKeyLoanFormCompletesAHalfDoneFiling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newKeyHandlers()
	archivist := commands.Principal{StaffID: "ar1", Role: commands.RoleArchivist, Project: "p1"}
	own, err := commands.NewOpenArchiveHandler(h.store, h.clock, nil, testKeys()).Handle(ctx, as(archivist), commands.OpenArchive{Household: "3-2-1201", Owner: "王女士", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	file := commands.NewFileKeyLoanFormHandler(h.store, h.clock, nil)
	res, err := h.register.Handle(ctx, as(custodian), commands.RegisterKey{Unit: "3-2-1201", Tag: "K-001", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	l := goodLoan
	l.KeyID = res.ID
	if _, err := h.lend.Handle(ctx, as(custodian), l); err != nil {
		t.Fatal(err)
	}
	keyStream := key.Stream(res.ID)
	raced := false
	h.store.mu.Lock()
	h.store.beforeAppend = func(s string) {
		if s != keyStream || raced {
			return
		}
		raced = true
		// The overdue policy lands on the key between our read and our append.
		data, _ := json.Marshal(key.LoanOverdue{Due: h.clock.Now(), At: h.clock.Now()})
		if _, err := h.store.Append(ctx, s, event.Any(), event.Event{ID: "racer", Type: key.TypeLoanOverdue, Data: data}); err != nil {
			t.Error(err)
		}
	}
	h.store.mu.Unlock()
	// A lost race records nothing now and is no error: the next run decides again.
	if r, err := file.Handle(ctx, commands.Meta{}, commands.FileKeyLoanForm{KeyID: res.ID, ArchiveID: own.ID}); err != nil || r.Recorded {
		t.Fatalf("raced: %+v %v", r, err)
	}
	if n := len(h.store.stream(archive.Stream(own.ID))); n != 2 {
		t.Fatalf("archive has %d events, want opened + the form", n)
	}
	h.clock.Advance(time.Minute)
	if r, err := file.Handle(ctx, commands.Meta{}, commands.FileKeyLoanForm{KeyID: res.ID, ArchiveID: own.ID}); err != nil || !r.Recorded {
		t.Fatalf("retry: %+v %v", r, err)
	}
	if n := len(h.store.stream(archive.Stream(own.ID))); n != 2 {
		t.Fatalf("archive has %d events after the retry, want no second entry", n)
	}
	ks := h.store.stream(keyStream)
	if ks[len(ks)-1].Type != key.TypeLoanFormFiled {
		t.Fatalf("key's last event = %s", ks[len(ks)-1].Type)
	}
}
