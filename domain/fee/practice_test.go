package fee_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/fee"
)

// R-F6: an influential owner in arrears is flagged on the bill, and the
// case is handled by guidance, recorded.
func TestInfluentialOwnerGuidance(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	b, err := fee.Issue("b1", fee.Spec{Project: "p1", District: "d1", Unit: "1-101", Butler: "b-1", Period: "2026-03",
		Items: []fee.Item{{Name: "物业服务费", AmountFen: 100}}, Due: due}, due.AddDate(0, 0, -10))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.FlagInfluential("业委会委员", due.Add(-time.Hour)); !errors.Is(err, fee.ErrNotInArrears) {
		t.Fatalf("flag before due: %v", err)
	}
	if err := b.RecordGuidance("上门沟通", due.Add(time.Hour)); !errors.Is(err, fee.ErrNotFlagged) {
		t.Fatalf("guidance unflagged: %v", err)
	}
	if err := b.FlagInfluential(" ", due.Add(time.Hour)); !errors.Is(err, fee.ErrFlagReasonMiss) {
		t.Fatalf("flag without reason: %v", err)
	}
	if err := b.FlagInfluential("业委会委员，带头拒缴", due.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := b.FlagInfluential("again", due.Add(time.Hour)); !errors.Is(err, fee.ErrAlreadyFlagged) {
		t.Fatalf("flag twice: %v", err)
	}
	if err := b.RecordGuidance("项目经理上门，解释维修进度，业主同意月底缴纳", due.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := b.Changes()
	if len(got) != 3 || got[1].EventType() != fee.TypeInfluentialFlagged || got[2].EventType() != fee.TypeGuidanceRecorded {
		t.Fatalf("changes = %#v", got)
	}
	if r, err := fee.FromHistory(got); err != nil || r.RecordGuidance("再次沟通", due.AddDate(0, 0, 1)) != nil {
		t.Fatalf("rebuilt: %v", err)
	}
}
