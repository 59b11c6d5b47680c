package movein_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/movein"
)

func TestFlagRisk(t *testing.T) {
	t.Parallel()
	m, err := movein.FromHistory([]event.Payload{opened})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.FlagRisk(" ", t0); !errors.Is(err, movein.ErrRiskReasonMissing) {
		t.Fatalf("R-M4 a risk without its reason: %v", err)
	}
	if err := m.FlagRisk("同批次多户拒收，质疑外墙渗水", t0); err != nil {
		t.Fatal(err)
	}
	if err := m.FlagRisk("业主群内酝酿联名维权", t0); err != nil {
		t.Fatalf("a second risk point: %v", err)
	}
	want := []event.Payload{movein.RiskFlagged{Reason: "同批次多户拒收，质疑外墙渗水", Warn: "project_manager", At: t0},
		movein.RiskFlagged{Reason: "业主群内酝酿联名维权", Warn: "project_manager", At: t0}}
	if !reflect.DeepEqual(m.Changes(), want) {
		t.Fatalf("R-M4 recorded %#v", m.Changes())
	}
	data, _ := json.Marshal(want[0])
	if p, err := movein.Decode(movein.TypeRiskFlagged, data); err != nil || !reflect.DeepEqual(p, want[0]) {
		t.Fatalf("round trip: %v %#v", err, p)
	}
	if _, err := movein.FromHistory(append([]event.Payload{opened}, want...)); err != nil {
		t.Fatalf("rebuild with risks: %v", err)
	}
}
