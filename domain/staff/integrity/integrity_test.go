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
	if _, err := integrity.File("r1", "p1", "", "x", true, t0); !errors.Is(err, integrity.ErrReportIncomplete) {
		t.Fatalf("incomplete: %v", err)
	}
	r, err := integrity.File("r1", "p1", "某管家", "收费不给票据", true, t0)
	if err != nil || r.Changes()[0].(integrity.Filed).To != "operations" {
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
