package projections_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/projections"
)

// R-D3: the archive read model holds no personal data; every read is in
// the access log with who read what.
func TestArchiveReadModelsKeepPersonalDataOut(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Archives, projections.ArchiveAccessLog{})
	ar := actor{"ar-1", "archivist", "d1"}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r.emit(archive.Stream("a1"), ar, at, archive.Opened{ArchiveID: "a1", Project: "p1", District: "d1", Household: "3-2-501", At: at})
	r.emit(archive.Stream("a1"), ar, at, archive.DocumentAdded{Document: "业主信息表", Kind: "form", At: at})
	r.emit(archive.Stream("a1"), ar, at, archive.LoanRequested{Borrower: "b-1", Purpose: "核对", At: at})
	r.emit(archive.Stream("a1"), actor{"pm-1", "project_manager", ""}, at, archive.LoanSigned{SignedBy: "pm-1", At: at})
	r.emit(archive.AccessStream("a1"), actor{"au-1", "auditor", ""}, at, archive.Accessed{ArchiveID: "a1", Household: "3-2-501", Reader: "au-1", Role: "auditor", What: "detail", At: at})
	r.emit(archive.AccessStream("a1"), b1, at, archive.Accessed{ArchiveID: "a1", Household: "3-2-501", Reader: "b-1", Role: "butler", What: "history", At: at})

	d, err := r.store.Get(context.Background(), projections.ArchivesIndex, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(d.Source); strings.Contains(s, "王秀英") || strings.Contains(s, "13812345678") || !strings.Contains(s, `"status":"on_loan"`) {
		t.Fatalf("archive document = %s", s)
	}
	res, err := r.store.Search(context.Background(), projections.ArchiveAccessIndex, projections.Query{
		Terms: map[string][]string{"archive_id": {"a1"}}, Sort: []projections.Sort{{Field: "id"}}})
	if err != nil || res.Total != 2 {
		t.Fatalf("access log: %+v %v", res, err)
	}
	var first projections.ArchiveAccess
	r.doc(projections.ArchiveAccessIndex, "archiveaccess-a1@0", &first)
	if first.Reader != "au-1" || first.What != "detail" || first.Month != "2026-03" {
		t.Fatalf("access = %+v", first)
	}
}

// R-D2 measured: a missed quarter counts in its last month; the read
// model says when the next check falls due.
func TestArchiveChecksMissedKPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.Archives)
	cst := archive.Zone
	opened := time.Date(2026, 8, 3, 10, 0, 0, 0, cst)
	ar := actor{"ar1", "archivist", "d1"}
	sys := actor{"system", "system", "d1"}
	for _, id := range []string{"a1", "a2"} {
		r.emit(archive.Stream(id), ar, opened, archive.Opened{ArchiveID: id, Project: "p1", District: "d1", Household: "h-" + id, At: opened})
	}
	var a projections.Archive
	r.doc(projections.ArchivesIndex, "a1", &a)
	if q4End := time.Date(2027, 1, 1, 0, 0, 0, 0, cst); a.CheckDueBy == nil || !a.CheckDueBy.Equal(q4End) {
		t.Fatalf("opened in Q3, first due at the end of Q4: %+v", a.CheckDueBy)
	}
	r.emit(archive.Stream("a2"), ar, opened, archive.CatalogueChecked{Missing: []string{}, Matches: true, At: time.Date(2026, 11, 2, 9, 0, 0, 0, cst)})
	due := time.Date(2027, 1, 1, 0, 0, 0, 0, cst)
	r.emit(archive.Stream("a1"), sys, due, archive.CheckMissed{Quarter: "2026-Q4", DueBy: due, At: due})
	res := r.kpi("archive-checks-missed", projections.KPIFilter{Month: "2026-12"})
	if value(res) != 1 || !reflect.DeepEqual(res.NumeratorRecords, []string{"a1"}) {
		t.Fatalf("archive-checks-missed 2026-12 = %+v", res)
	}
	if res := r.kpi("archive-checks-missed", projections.KPIFilter{Month: "2026-11"}); value(res) != 0 {
		t.Fatalf("archive-checks-missed 2026-11 = %+v", res)
	}
	if res := r.kpi("archive-checks-missed", projections.KPIFilter{}); value(res) != 1 || len(res.Records) != 2 {
		t.Fatalf("archive-checks-missed, all months = %+v", res)
	}
	var b projections.Archive
	r.doc(projections.ArchivesIndex, "a2", &b)
	if q1End := time.Date(2027, 4, 1, 0, 0, 0, 0, cst); !b.CheckDueBy.Equal(q1End) || b.CheckedQuarters[0] != "2026-Q4" {
		t.Fatalf("checked in Q4, next due at the end of 2027-Q1: %+v", b)
	}
}
