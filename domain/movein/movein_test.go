package movein_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/movein"
)

var (
	t0     = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	opened = movein.Opened{MoveInID: "m1", Project: "p1", District: "d1", Unit: "3-2-1201", Butler: "b1", At: t0}
	steps  = []event.Payload{
		movein.StepRecorded{Step: movein.StepDocumentsReviewed, Note: "身份证、购房合同", At: t0},
		movein.StepRecorded{Step: movein.StepFeesCollected, Receipts: []string{"NO.1"}, At: t0},
		movein.StepRecorded{Step: movein.StepAgreementsSigned, Agreements: []string{movein.AgreementPreliminaryService}, At: t0},
		movein.StepRecorded{Step: movein.StepFormsFilled, Forms: []string{movein.FormOwnerInformation}, Photos: []string{"ph-1"}, At: t0},
		movein.StepRecorded{Step: movein.StepUnitInspected, Defects: []movein.Defect{{ID: "d1", Description: "客厅墙面空鼓"}}, At: t0},
	}
	keys = movein.StepRecorded{Step: movein.StepKeysHandedOver, Keys: []string{"K-001"}, At: t0}
)

func given(extra ...event.Payload) []event.Payload {
	return append(append([]event.Payload{opened}, steps...), extra...)
}

func TestOpen(t *testing.T) {
	t.Parallel()
	m, err := movein.Open("m1", movein.Spec{Project: "p1", District: "d1", Unit: "3-2-1201", Butler: "b1"}, t0)
	if err != nil || !reflect.DeepEqual(m.Changes(), []event.Payload{opened}) {
		t.Fatalf("%v %#v", err, m)
	}
	if _, err := movein.Open("m1", movein.Spec{Project: "p1", District: "d1", Butler: "b1"}, t0); !errors.Is(err, movein.ErrOpenIncomplete) {
		t.Fatalf("err = %v", err)
	}
}

func TestMoveInRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		given []event.Payload
		when  func(m *movein.MoveIn) error
		then  []event.Payload
		err   error
	}{
		{"R-M1 keys are handed over last", []event.Payload{opened, steps[0], steps[1]},
			func(m *movein.MoveIn) error { return m.HandOverKeys([]string{"K-001"}, t0) }, nil, movein.ErrStepsIncomplete},
		{"R-M1 keys handed over after every step", given(),
			func(m *movein.MoveIn) error { return m.HandOverKeys([]string{"K-001"}, t0) }, []event.Payload{keys}, nil},
		{"R-M1 a step is recorded once", given(),
			func(m *movein.MoveIn) error { return m.ReviewDocuments("again", t0) }, nil, movein.ErrStepDone},
		{"R-M1 fees collected with receipts", []event.Payload{opened},
			func(m *movein.MoveIn) error { return m.CollectFees([]string{" "}, t0) }, nil, movein.ErrReceiptsMissing},
		{"R-M3 the preliminary service agreement is signed", []event.Payload{opened},
			func(m *movein.MoveIn) error { return m.SignAgreements([]string{"decoration_agreement"}, t0) }, nil, movein.ErrAgreementMissing},
		{"R-M3 the owner information form and photos", []event.Payload{opened},
			func(m *movein.MoveIn) error { return m.FillForms([]string{movein.FormOwnerInformation}, nil, t0) }, nil, movein.ErrFormsMissing},
		{"R-M1/R-M2 defects found in the accompanied inspection get ids", []event.Payload{opened},
			func(m *movein.MoveIn) error {
				return m.InspectUnit([]string{"客厅墙面空鼓", "卫生间地漏反水"}, "", t0)
			},
			[]event.Payload{movein.StepRecorded{Step: movein.StepUnitInspected, Defects: []movein.Defect{{ID: "d1", Description: "客厅墙面空鼓"}, {ID: "d2", Description: "卫生间地漏反水"}}, At: t0}}, nil},
		{"R-M2 a defect is handed to the developer with a reference", given(),
			func(m *movein.MoveIn) error { return m.HandDefectToDeveloper("d1", "FC-2026-88", t0) },
			[]event.Payload{movein.DefectHandedToDeveloper{DefectID: "d1", DeveloperRef: "FC-2026-88", At: t0}}, nil},
		{"R-M2 the handover needs the developer's reference", given(),
			func(m *movein.MoveIn) error { return m.HandDefectToDeveloper("d1", "", t0) }, nil, movein.ErrDeveloperRef},
		{"R-M2 a defect is handed over before it is resolved", given(),
			func(m *movein.MoveIn) error { return m.ResolveDefect("d1", "", t0) }, nil, movein.ErrDefectNotHandedOver},
		{"R-M2 resolved after handover", given(movein.DefectHandedToDeveloper{DefectID: "d1", DeveloperRef: "FC", At: t0}),
			func(m *movein.MoveIn) error { return m.ResolveDefect("d1", "已修复", t0) },
			[]event.Payload{movein.DefectResolved{DefectID: "d1", Note: "已修复", At: t0}}, nil},
		{"unknown defect", given(),
			func(m *movein.MoveIn) error { return m.HandDefectToDeveloper("d9", "FC", t0) }, nil, movein.ErrUnknownDefect},
		{"occupancy after the keys", given(),
			func(m *movein.MoveIn) error { return m.RecordOccupied(t0) }, nil, movein.ErrNotCompleted},
		{"occupancy recorded", given(keys),
			func(m *movein.MoveIn) error { return m.RecordOccupied(t0) }, []event.Payload{movein.Occupied{At: t0}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := movein.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.when(m); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(m.Changes(), tt.then) {
				t.Fatalf("changes = %#v, want %#v", m.Changes(), tt.then)
			}
		})
	}
	if _, err := movein.FromHistory([]event.Payload{keys}); !errors.Is(err, movein.ErrNotOpened) {
		t.Fatalf("err = %v", err)
	}
}

// TestOpenedV1DecodesWithoutTheOwner: a move-in opened before households
// named the owner; decoding drops it (upcast to v2).
func TestOpenedV1DecodesWithoutTheOwner(t *testing.T) {
	t.Parallel()
	p, err := movein.Decode(movein.TypeOpened, []byte(`{"move_in_id":"m1","project":"p1","district":"d1","unit":"3-2-1201","owner":"王女士","butler":"b1","at":"2026-03-02T01:00:00Z"}`))
	if err != nil || p.(movein.Opened).Unit != "3-2-1201" || p.EventType() != movein.TypeOpenedV2 {
		t.Fatalf("%#v %v", p, err)
	}
}
