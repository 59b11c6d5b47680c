package projections_test

import (
	"context"
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
