package patrol_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/patrol"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestPatrol(t *testing.T) {
	t.Parallel()
	if _, err := patrol.Record("pa1", "p1", "d1", "b-1", nil, nil, t0); !errors.Is(err, patrol.ErrPatrolIncomplete) {
		t.Fatalf("R-V4 a patrol walks some area: %v", err)
	}
	p, err := patrol.Record("pa1", "p1", "d1", "b-1", []string{"3号楼大堂", "地库"}, []string{"地库灯坏", " "}, t0)
	if err != nil {
		t.Fatal(err)
	}
	rec := p.Changes()[0].(patrol.Recorded)
	if rec.Date != "2026-03-02" || len(rec.Findings) != 1 {
		t.Fatalf("recorded = %+v", rec)
	}
	// The patrol's date is the project's: 07:00 on 3 March in China, stamped 23:00 UTC on 2 March.
	early, _ := patrol.Record("pa2", "p1", "d1", "b-1", []string{"地库"}, nil, time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC))
	if got := early.Changes()[0].(patrol.Recorded).Date; got != "2026-03-03" {
		t.Fatalf("date = %s, want 2026-03-03 (China)", got)
	}
	p, _ = patrol.FromHistory([]event.Payload{rec})
	if err := p.ReportFinding(1, "w1", t0); !errors.Is(err, patrol.ErrUnknownFinding) {
		t.Fatalf("unknown finding: %v", err)
	}
	if err := p.ReportFinding(0, "w1", t0); err != nil {
		t.Fatal(err)
	}
	p, _ = patrol.FromHistory([]event.Payload{rec, patrol.FindingReported{Finding: 0, WorkOrderID: "w1", At: t0}})
	if err := p.ReportFinding(0, "w2", t0); !errors.Is(err, patrol.ErrAlreadyReported) {
		t.Fatalf("a finding gets one work order: %v", err)
	}
}
