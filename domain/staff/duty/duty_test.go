package duty_test

import (
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/staff/duty"
)

// R-S2: a day keeps its first MaxPerDay refusals; unregistered and
// not-onboarded callers are untrained, a wrong role or district is not.
func TestDay(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, _ := duty.FromHistory(nil)
	for i := range duty.MaxPerDay + 3 {
		kept, err := d.Refuse(duty.Refused{Project: "p1", StaffID: "b-9", Reason: duty.ReasonNotRegistered, Day: "2026-03-02", At: at})
		if err != nil || kept != (i < duty.MaxPerDay) {
			t.Fatalf("attempt %d: kept %v err %v", i, kept, err)
		}
	}
	if r := d.Changes()[0].(duty.Refused); !r.Untrained {
		t.Fatalf("an unregistered caller's refusal = %+v", r)
	}
	for reason, untrained := range map[string]bool{duty.ReasonNotOnboarded: true, duty.ReasonWrongDistrict: false, duty.ReasonWrongRole: false, duty.ReasonOtherProject: false} {
		if duty.Untrained(reason) != untrained {
			t.Errorf("Untrained(%s) = %v", reason, !untrained)
		}
	}
	if _, err := d.Refuse(duty.Refused{Project: "p1", Reason: duty.ReasonNotOnboarded}); !errors.Is(err, duty.ErrIncomplete) {
		t.Fatalf("err = %v", err)
	}
}
