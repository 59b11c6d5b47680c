package commands_test

import (
	"errors"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/household"
)

func TestHouseholdContactEraseAndNewOwner(t *testing.T) {
	t.Parallel()
	s, c, k := newMemStore(), &clock{now: start}, testKeys()
	h := commands.NewHandlers(s, c, nil, k)
	ctx := t.Context()
	hh := household.Stream("p1", "3-2-1201")
	reg := func(owner, phone string) {
		t.Helper()
		cmd := aComplaint
		cmd.Owner, cmd.Phone = owner, phone
		if _, err := h.Complaint.Register.Handle(ctx, as(butler), cmd); err != nil {
			t.Fatal(err)
		}
	}
	contact := func() string {
		t.Helper()
		recs := s.stream(hh)
		p, _ := household.Decode(recs[len(recs)-1].Type, recs[len(recs)-1].Data)
		cr, ok := p.(household.ContactRecorded)
		if !ok {
			return recs[len(recs)-1].Type
		}
		b, err := k.Open(ctx, hh, cr.Contact)
		if err != nil {
			return err.Error()
		}
		return string(b)
	}
	reg("王女士", "13800000000")
	reg("王女士", "13800000000") // the same contact: nothing new
	if n := len(s.stream(hh)); n != 1 {
		t.Fatalf("%d household events after the same contact twice, want 1", n)
	}
	reg("王女士", "13911112222") // a new phone of the same owner is added first
	if got := contact(); got != `{"owner":"王女士","phones":["13911112222","13800000000"]}` {
		t.Fatalf("contact = %s", got)
	}
	first := s.stream(hh)[0]
	p0, _ := household.Decode(first.Type, first.Data)

	_, err := h.Household.Erase.Handle(ctx, as(supervisor), commands.EraseHousehold{Unit: "3-2-1201", Reason: "业主申请删除"})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	_, err = h.Household.Erase.Handle(ctx, as(manager), commands.EraseHousehold{Unit: "3-2-1201"})
	wantErr(t, err, apperr.BadRequest, "invalid_input")
	if _, err := h.Household.Erase.Handle(ctx, as(manager), commands.EraseHousehold{Unit: "3-2-1201", Reason: "业主申请删除"}); err != nil {
		t.Fatal(err)
	}
	if got := contact(); got != household.TypeErased {
		t.Fatalf("last household event %s, want erased", got)
	}
	if _, err := k.Open(ctx, hh, p0.(household.ContactRecorded).Contact); !errors.Is(err, household.ErrKeyDestroyed) {
		t.Fatalf("the first contact opens after erasure: %v", err)
	}
	_, err = h.Household.Erase.Handle(ctx, as(manager), commands.EraseHousehold{Unit: "3-2-1201", Reason: "again"})
	wantErr(t, err, apperr.Unprocessable, "already_erased")

	reg("李先生", "13700000000") // a new owner: a new key
	if got := contact(); got != `{"owner":"李先生","phones":["13700000000"]}` {
		t.Fatalf("contact after erasure = %s", got)
	}
	recs := s.stream(hh)
	pn, _ := household.Decode(recs[len(recs)-1].Type, recs[len(recs)-1].Data)
	if pn.(household.ContactRecorded).Contact.KeyID == p0.(household.ContactRecorded).Contact.KeyID {
		t.Fatal("the new owner's contact is sealed under the destroyed key's id")
	}
}

func TestRecordPersonalDataRead(t *testing.T) {
	t.Parallel()
	s, c := newMemStore(), &clock{now: start}
	h := commands.NewHandlers(s, c, nil, testKeys())
	ctx := t.Context()
	err := h.Household.RecordRead.Handle(ctx, as(cashier), commands.RecordPersonalDataRead{Route: "/api/v1/complaints", Units: []string{"1-1-101"}})
	wantErr(t, err, apperr.Forbidden, "forbidden_role")
	if err := h.Household.RecordRead.Handle(ctx, as(butler), commands.RecordPersonalDataRead{Route: "/api/v1/complaints",
		Units: []string{"1-1-101", "1-1-102", "1-1-101"}, Zone: start.Location()}); err != nil {
		t.Fatal(err)
	}
	recs := s.stream(household.AccessStream("p1", "2026-07-01"))
	if len(recs) != 1 || recs[0].Type != household.TypePersonalDataRead || recs[0].Meta.Actor.StaffID != "b1" ||
		string(recs[0].Data) != `{"route":"/api/v1/complaints","units":["1-1-101","1-1-102"],"at":"2026-07-01T09:00:00+08:00"}` {
		t.Fatalf("access stream %+v", recs)
	}
}
