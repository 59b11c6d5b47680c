package register_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/renovation/register"
)

func TestWeeks(t *testing.T) {
	t.Parallel()
	mon := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // Monday 2 March, China
	if got := register.WeekOf(mon); got != "2026-W10" {
		t.Fatalf("week = %s", got)
	}
	end, ok := register.WeekEnd("2026-W10")
	if !ok || !end.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, register.Zone)) {
		t.Fatalf("end = %v %v", end, ok)
	}
	for _, w := range []string{"2026-10", "2026-W54", "2026-W00"} {
		if _, err := register.Open("p1", w); !errors.Is(err, register.ErrWeekInvalid) {
			t.Errorf("%s: err = %v", w, err)
		}
	}
}

// R-R6: the register is checked twice a week; a week with fewer is recorded short once it ends.
func TestTwiceWeeklyChecks(t *testing.T) {
	t.Parallel()
	mon := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	end, _ := register.WeekEnd("2026-W10")
	w, _ := register.Open("p1", "2026-W10")
	if err := w.Check(nil, true, "", mon); !errors.Is(err, register.ErrNothingChecked) {
		t.Fatalf("err = %v", err)
	}
	if err := w.Check([]string{"r1"}, false, "", mon); !errors.Is(err, register.ErrNoteMissing) {
		t.Fatalf("err = %v", err)
	}
	if err := w.Check([]string{"r1", "r2"}, true, "", mon); err != nil {
		t.Fatal(err)
	}
	if ok, _ := w.RecordShort(end.Add(-time.Second)); ok {
		t.Fatal("short before the week ended")
	}
	if ok, _ := w.RecordShort(end); !ok {
		t.Fatal("one check is short of two")
	}
	if ok, _ := w.RecordShort(end); ok {
		t.Fatal("short recorded twice")
	}
	twice, _ := register.FromHistory([]event.Payload{
		register.Checked{Project: "p1", Week: "2026-W10", Renovations: []string{"r1"}, Matches: true, At: mon},
		register.Checked{Project: "p1", Week: "2026-W10", Renovations: []string{"r2"}, Matches: true, At: mon},
	})
	if ok, _ := twice.RecordShort(end); ok {
		t.Fatal("two checks are enough")
	}
}
