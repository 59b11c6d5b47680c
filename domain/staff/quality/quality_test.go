package quality_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/quality"
)

var t0 = time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)

func TestWeeklyPatrol(t *testing.T) {
	t.Parallel()
	if _, err := quality.RecordPatrol(quality.Patrolled{PatrolID: "x", Project: "p1", Supervisor: "s", Areas: []string{"大堂"}, At: t0}); !errors.Is(err, quality.ErrPatrolIncomplete) {
		t.Fatalf("R-S4 a weekly patrol carries a self-inspection report: %v", err)
	}
	p, err := quality.RecordPatrol(quality.Patrolled{PatrolID: "x", Project: "p1", Supervisor: "s", Areas: []string{"大堂"}, Report: "整体良好", At: t0})
	if err != nil || p.Week != "2026-W10" {
		t.Fatalf("patrol = %+v %v", p, err)
	}
}

func TestSpotCheck(t *testing.T) {
	t.Parallel()
	base := quality.SpotChecked{CheckID: "c1", Project: "p1", District: "d1", WorkOrderID: "w1", Month: "2026-03", At: t0}
	bad := base
	if _, err := quality.Check(bad); !errors.Is(err, quality.ErrProblemMissing) {
		t.Fatalf("R-W6 a mismatch says what: %v", err)
	}
	ok := base
	ok.Matches = true
	s, err := quality.Check(ok)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Correct("x", t0); !errors.Is(err, quality.ErrNothingToCorrect) {
		t.Fatalf("matched: %v", err)
	}
	bad.Problem = "纸质单无业主签字"
	s, _ = quality.FromHistory([]event.Payload{bad})
	if err := s.Correct("", t0); !errors.Is(err, quality.ErrActionMissing) {
		t.Fatalf("empty action: %v", err)
	}
	if err := s.Correct("补签并培训录入规范", t0); err != nil {
		t.Fatal(err)
	}
	s, _ = quality.FromHistory([]event.Payload{bad, quality.Corrected{Action: "x", At: t0}})
	if err := s.Correct("again", t0); !errors.Is(err, quality.ErrAlreadyCorrected) {
		t.Fatalf("R-S4 corrected once: %v", err)
	}
}
