// Package movein is the move-in aggregate (入住管理, R-M1…R-M3): the
// butler takes the owner through the steps (documents reviewed, fees
// collected, agreements signed, forms filled, accompanied unit inspection,
// keys handed over last); defects found in the inspection are handed to
// the developer (移交房产) and tracked until resolved; the owner taking up
// residence is recorded for the unit status ledger (房态).
package movein

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Step is one R-M1 step.
type Step string

const (
	StepDocumentsReviewed Step = "documents_reviewed"
	StepFeesCollected     Step = "fees_collected"
	StepAgreementsSigned  Step = "agreements_signed"
	StepFormsFilled       Step = "forms_filled"
	StepUnitInspected     Step = "unit_inspected"
	StepKeysHandedOver    Step = "keys_handed_over"
)

// Steps are R-M1's steps in order; keys are handed over last.
var Steps = []Step{StepDocumentsReviewed, StepFeesCollected, StepAgreementsSigned, StepFormsFilled, StepUnitInspected, StepKeysHandedOver}

// Required archive documents (R-M3).
const (
	AgreementPreliminaryService = "preliminary_property_service_agreement" // 前期物业服务协议
	FormOwnerInformation        = "owner_information"                      // 业主信息登记表
)

// Stored event type names.
const (
	// TypeOpened named the owner in plain text (before households); it is
	// decoded as Opened without the owner, and never recorded any more.
	TypeOpened                  = "movein.opened.v1"
	TypeOpenedV2                = "movein.opened.v2"
	TypeStepRecorded            = "movein.step_recorded.v1"
	TypeDefectHandedToDeveloper = "movein.defect_handed_to_developer.v1"
	TypeDefectResolved          = "movein.defect_resolved.v1"
	TypeOccupied                = "movein.occupied.v1"
)

// Opened: the owner came to take over the unit. The owner is the
// household of Unit (domain/household): no personal data here.
type Opened struct {
	MoveInID string    `json:"move_in_id"`
	Project  string    `json:"project"`
	District string    `json:"district"`
	Unit     string    `json:"unit"`
	Butler   string    `json:"butler"`
	At       time.Time `json:"at"`
}

// Defect is a quality issue found in the accompanied inspection.
type Defect struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

// StepRecorded: one R-M1 step was done. The fields used depend on the step.
type StepRecorded struct {
	Step       Step      `json:"step"`
	Note       string    `json:"note,omitempty"`
	Receipts   []string  `json:"receipts,omitempty"`
	Agreements []string  `json:"agreements,omitempty"`
	Forms      []string  `json:"forms,omitempty"`
	Photos     []string  `json:"photos,omitempty"`
	Defects    []Defect  `json:"defects,omitempty"`
	Keys       []string  `json:"keys,omitempty"`
	At         time.Time `json:"at"`
}

// DefectHandedToDeveloper: a defect was handed to the developer (R-M2).
type DefectHandedToDeveloper struct {
	DefectID     string    `json:"defect_id"`
	DeveloperRef string    `json:"developer_ref"`
	At           time.Time `json:"at"`
}

// DefectResolved: the developer fixed the defect.
type DefectResolved struct {
	DefectID string    `json:"defect_id"`
	Note     string    `json:"note,omitempty"`
	At       time.Time `json:"at"`
}

// Occupied: the owner took up residence.
type Occupied struct {
	At time.Time `json:"at"`
}

func (Opened) EventType() string                  { return TypeOpenedV2 }
func (StepRecorded) EventType() string            { return TypeStepRecorded }
func (DefectHandedToDeveloper) EventType() string { return TypeDefectHandedToDeveloper }
func (DefectResolved) EventType() string          { return TypeDefectResolved }
func (Occupied) EventType() string                { return TypeOccupied }

// Decode turns a stored move-in event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeOpened, TypeOpenedV2: // v1's owner is dropped: upcast to v2
		return decode[Opened](eventType, data)
	case TypeStepRecorded:
		return decode[StepRecorded](eventType, data)
	case TypeDefectHandedToDeveloper:
		return decode[DefectHandedToDeveloper](eventType, data)
	case TypeDefectResolved:
		return decode[DefectResolved](eventType, data)
	case TypeOccupied:
		return decode[Occupied](eventType, data)
	}
	return nil, fmt.Errorf("movein: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("movein: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Spec is what opens a move-in.
type Spec struct{ Project, District, Unit, Butler string }

type defect struct{ handedOver, resolved bool }

// MoveIn is the aggregate.
type MoveIn struct {
	id, project, district string
	unit                  string
	done                  map[Step]bool
	defects               map[string]*defect
	occupied              bool

	changes []event.Payload
}

// Open starts a move-in.
func Open(id string, s Spec, now time.Time) (*MoveIn, error) {
	for _, v := range []string{id, s.Project, s.District, s.Unit, s.Butler} {
		if blank(v) {
			return nil, ErrOpenIncomplete
		}
	}
	m := &MoveIn{}
	m.record(Opened{MoveInID: id, Project: s.Project, District: s.District, Unit: s.Unit, Butler: s.Butler, At: now})
	return m, nil
}

// FromHistory rebuilds a move-in.
func FromHistory(history []event.Payload) (*MoveIn, error) {
	m := &MoveIn{}
	for _, p := range history {
		if err := m.apply(p); err != nil {
			return nil, err
		}
	}
	if m.id == "" {
		return nil, ErrNotOpened
	}
	return m, nil
}

func (m *MoveIn) step(s Step) error {
	if m.done[s] {
		return ErrStepDone
	}
	return nil
}

// ReviewDocuments records that the owner's documents were reviewed.
func (m *MoveIn) ReviewDocuments(note string, now time.Time) error {
	if err := m.step(StepDocumentsReviewed); err != nil {
		return err
	}
	if blank(note) {
		return ErrNoteMissing
	}
	m.record(StepRecorded{Step: StepDocumentsReviewed, Note: note, At: now})
	return nil
}

// CollectFees records the fees collected, each with its receipt number.
func (m *MoveIn) CollectFees(receipts []string, now time.Time) error {
	if err := m.step(StepFeesCollected); err != nil {
		return err
	}
	r := nonBlank(receipts)
	if len(r) == 0 {
		return ErrReceiptsMissing
	}
	m.record(StepRecorded{Step: StepFeesCollected, Receipts: r, At: now})
	return nil
}

// SignAgreements records the agreements signed (R-M3 archive).
func (m *MoveIn) SignAgreements(agreements []string, now time.Time) error {
	if err := m.step(StepAgreementsSigned); err != nil {
		return err
	}
	a := nonBlank(agreements)
	if !slices.Contains(a, AgreementPreliminaryService) {
		return ErrAgreementMissing
	}
	m.record(StepRecorded{Step: StepAgreementsSigned, Agreements: a, At: now})
	return nil
}

// FillForms records the forms filled and photos taken (R-M3 archive).
func (m *MoveIn) FillForms(forms, photos []string, now time.Time) error {
	if err := m.step(StepFormsFilled); err != nil {
		return err
	}
	f, p := nonBlank(forms), nonBlank(photos)
	if !slices.Contains(f, FormOwnerInformation) || len(p) == 0 {
		return ErrFormsMissing
	}
	m.record(StepRecorded{Step: StepFormsFilled, Forms: f, Photos: p, At: now})
	return nil
}

// InspectUnit records the accompanied inspection and the defects found;
// they get ids d1, d2, … (R-M1, R-M2).
func (m *MoveIn) InspectUnit(defects []string, note string, now time.Time) error {
	if err := m.step(StepUnitInspected); err != nil {
		return err
	}
	ds := []Defect{}
	for _, d := range nonBlank(defects) {
		ds = append(ds, Defect{ID: fmt.Sprintf("d%d", len(ds)+1), Description: d})
	}
	m.record(StepRecorded{Step: StepUnitInspected, Defects: ds, Note: note, At: now})
	return nil
}

// HandOverKeys records the key handover, the last step (R-M1).
func (m *MoveIn) HandOverKeys(keys []string, now time.Time) error {
	if err := m.step(StepKeysHandedOver); err != nil {
		return err
	}
	for _, s := range Steps[:len(Steps)-1] {
		if !m.done[s] {
			return ErrStepsIncomplete
		}
	}
	k := nonBlank(keys)
	if len(k) == 0 {
		return ErrKeysMissing
	}
	m.record(StepRecorded{Step: StepKeysHandedOver, Keys: k, At: now})
	return nil
}

// HandDefectToDeveloper hands an inspection defect to the developer (R-M2).
func (m *MoveIn) HandDefectToDeveloper(defectID, ref string, now time.Time) error {
	d, ok := m.defects[defectID]
	if !ok {
		return ErrUnknownDefect
	}
	if d.handedOver {
		return ErrDefectHandedOver
	}
	if blank(ref) {
		return ErrDeveloperRef
	}
	m.record(DefectHandedToDeveloper{DefectID: defectID, DeveloperRef: ref, At: now})
	return nil
}

// ResolveDefect records that the developer fixed a handed-over defect.
func (m *MoveIn) ResolveDefect(defectID, note string, now time.Time) error {
	d, ok := m.defects[defectID]
	if !ok {
		return ErrUnknownDefect
	}
	if d.resolved {
		return ErrDefectResolved
	}
	if !d.handedOver {
		return ErrDefectNotHandedOver
	}
	m.record(DefectResolved{DefectID: defectID, Note: note, At: now})
	return nil
}

// RecordOccupied records that the owner took up residence.
func (m *MoveIn) RecordOccupied(now time.Time) error {
	if !m.done[StepKeysHandedOver] {
		return ErrNotCompleted
	}
	if m.occupied {
		return ErrAlreadyOccupied
	}
	m.record(Occupied{At: now})
	return nil
}

// Accessors.
func (m *MoveIn) ID() string       { return m.id }
func (m *MoveIn) Project() string  { return m.project }
func (m *MoveIn) District() string { return m.district }
func (m *MoveIn) Unit() string     { return m.unit }

// Changes returns the events recorded since the move-in was built.
func (m *MoveIn) Changes() []event.Payload { return m.changes }

func (m *MoveIn) record(p event.Payload) {
	_ = m.apply(p)
	m.changes = append(m.changes, p)
}

func (m *MoveIn) apply(p event.Payload) error {
	if _, first := p.(Opened); first != (m.id == "") {
		return fmt.Errorf("movein: %s out of order: %w", p.EventType(), ErrNotOpened)
	}
	switch e := p.(type) {
	case Opened:
		m.id, m.project, m.district, m.unit = e.MoveInID, e.Project, e.District, e.Unit
		m.done, m.defects = map[Step]bool{}, map[string]*defect{}
	case StepRecorded:
		m.done[e.Step] = true
		for _, d := range e.Defects {
			m.defects[d.ID] = &defect{}
		}
	case DefectHandedToDeveloper:
		d, ok := m.defects[e.DefectID]
		if !ok {
			return fmt.Errorf("movein: %s: %w", e.DefectID, ErrUnknownDefect)
		}
		d.handedOver = true
	case DefectResolved:
		d, ok := m.defects[e.DefectID]
		if !ok {
			return fmt.Errorf("movein: %s: %w", e.DefectID, ErrUnknownDefect)
		}
		d.resolved = true
	case Occupied:
		m.occupied = true
	default:
		return fmt.Errorf("movein: cannot apply %T", p)
	}
	return nil
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
