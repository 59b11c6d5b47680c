package integrity_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/integrity"
)

func TestIntegrityReport(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := integrity.File("r1", "p1", "", "", "x", true, t0); !errors.Is(err, integrity.ErrReportIncomplete) {
		t.Fatalf("incomplete: %v", err)
	}
	r, err := integrity.File("r1", "p1", "", "某管家", "收费不给票据", true, t0)
	if err != nil || r.Changes()[0].(integrity.Filed).To != "operations" || r.Changes()[0].(integrity.Filed).Kind != "other" {
		t.Fatalf("R-S6 a report goes to operations: %+v %v", r, err)
	}
	filed := r.Changes()[0]
	r, _ = integrity.FromHistory([]event.Payload{filed})
	if err := r.Handle("", t0); !errors.Is(err, integrity.ErrOutcomeMissing) {
		t.Fatalf("no outcome: %v", err)
	}
	if err := r.Handle("已查实，扣罚并公示", t0); err != nil {
		t.Fatal(err)
	}
	r, _ = integrity.FromHistory([]event.Payload{filed, integrity.Handled{Outcome: "x", At: t0}})
	if err := r.Handle("again", t0); !errors.Is(err, integrity.ErrAlreadyHandled) {
		t.Fatalf("twice: %v", err)
	}
}

// R-S9: a report names the prohibited act it reports, from the code of
// conduct's list; a report filed before kinds reads as "other".
func TestReportKinds(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, err := integrity.File("r2", "p1", "side_job", "某维修工", "工作时间在外接私活", false, t0)
	if err != nil || r.Changes()[0].(integrity.Filed).Kind != "side_job" {
		t.Fatalf("side job: %+v %v", r, err)
	}
	if _, err := integrity.File("r3", "p1", "gossip", "某人", "闲聊", false, t0); !errors.Is(err, integrity.ErrUnknownKind) {
		t.Fatalf("unknown kind: %v", err)
	}
	if k := integrity.KindOf(integrity.Filed{Subject: "旧举报"}); k != "other" {
		t.Fatalf("a report filed before kinds reads as %q, want other", k)
	}
}
