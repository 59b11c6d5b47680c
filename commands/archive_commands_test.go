package commands_test

import (
	"context"
	"testing"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
)

func TestArchiveLoanNeedsTheManagersSignatureAndReadsAreLogged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newMemStore(), &clock{now: start}
	keys := testKeys()
	open := commands.NewOpenArchiveHandler(s, c, nil, keys)
	arc := commands.NewHandlers(s, c, nil, testKeys()).Archive
	read := commands.NewReadArchiveHandler(s, c, nil, keys)
	archivist := commands.Principal{StaffID: "ar1", Role: commands.RoleArchivist, Project: "p1"}
	auditor := commands.Principal{StaffID: "au1", Role: commands.RoleAuditor, Project: "p1"}

	var appErr *apperr.Error
	if _, err := open.Handle(ctx, as(butler), commands.OpenArchive{Household: "3-2-501", Owner: "王秀英"}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("R-D1 butler opening an archive: %v", err)
	}
	a, err := open.Handle(ctx, as(archivist), commands.OpenArchive{Household: "3-2-501", Owner: "王秀英", Phone: "13812345678", District: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := arc.RequestLoan.Handle(ctx, as(archivist), commands.RequestArchiveLoan{ArchiveID: a.ID, Borrower: "b1", Purpose: "核对"}); err != nil {
		t.Fatal(err)
	}
	if _, err := arc.SignLoan.Handle(ctx, as(archivist), commands.SignArchiveLoan{ArchiveID: a.ID}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("R-D1 archivist signing: %v", err)
	}
	if _, err := arc.SignLoan.Handle(ctx, as(manager), commands.SignArchiveLoan{ArchiveID: a.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := arc.RequestLoan.Handle(ctx, as(archivist), commands.RequestArchiveLoan{ArchiveID: a.ID, Borrower: "b2", Purpose: "x"}); !asAppErr(err, &appErr) || appErr.Code != "on_loan" {
		t.Fatalf("second loan: %v", err)
	}

	d, err := read.Handle(ctx, as(auditor), commands.ReadArchive{ArchiveID: a.ID})
	if err != nil || d.Owner != "王秀英" || d.Phone != "13812345678" {
		t.Fatalf("read = %+v %v", d, err)
	}
	if _, err := read.Handle(ctx, as(butlerD2), commands.ReadArchive{ArchiveID: a.ID}); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("R-D3 another district's butler: %v", err)
	}
	if _, err := read.Handle(ctx, as(cashier), commands.ReadArchive{ArchiveID: a.ID}); !asAppErr(err, &appErr) || appErr.Code != "forbidden_role" {
		t.Fatalf("cashier: %v", err)
	}
	if _, err := read.Handle(ctx, as(butler), commands.ReadArchive{ArchiveID: a.ID}); err != nil {
		t.Fatal(err)
	}
	log := s.stream(archive.AccessStream(a.ID))
	if len(log) != 2 || log[0].Meta.Actor.StaffID != "au1" || log[1].Meta.Actor.StaffID != "b1" {
		t.Fatalf("R-D3 access log = %v", types(log))
	}
}
