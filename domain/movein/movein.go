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
	TypeFeeReceiptsLinked       = "movein.fee_receipts_linked.v1"
	TypeDocumentsFiled          = "movein.documents_filed.v1"
)

// ArchiveDocumentKind is the catalogue kind of move-in documents filed in
// the owner's archive (R-M3).
const ArchiveDocumentKind = "move_in_document"

// ReceiptBill links a move-in fee receipt to the bill it paid (R-M3).
type ReceiptBill struct {
	ReceiptNo string `json:"receipt_no"`
	BillID    string `json:"bill_id"`
}

// FeeReceiptsLinked: the move-in fees' receipts are payments on these
// bills of the unit (R-M3: the fee ledger holds them).
type FeeReceiptsLinked struct {
	Links []ReceiptBill `json:"links"`
	At    time.Time     `json:"at"`
}

// DocumentsFiled: the move-in's documents (agreements, forms, photos)
// were entered in the owner's archive ArchiveID (R-M3). Recorded by a policy.
type DocumentsFiled struct {
	ArchiveID string    `json:"archive_id"`
	Documents []string  `json:"documents"`
	At        time.Time `json:"at"`
}

func (FeeReceiptsLinked) EventType() string { return TypeFeeReceiptsLinked }
func (DocumentsFiled) EventType() string    { return TypeDocumentsFiled }

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
	case TypeRiskFlagged:
		return decode[RiskFlagged](eventType, data)
	case TypeFeeReceiptsLinked:
		return decode[FeeReceiptsLinked](eventType, data)
	case TypeDocumentsFiled:
		return decode[DocumentsFiled](eventType, data)
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
	documents             []string        // for the owner's archive, in order (R-M3)
	filed                 map[string]bool // documents filed

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

// CollectFeesBilled records the fees collected like CollectFees, each
// receipt linked to the bill of the unit it paid (R-M3): links names, by
// receipt, the bill found; a receipt without one is refused.
func (m *MoveIn) CollectFeesBilled(receipts []string, links []ReceiptBill, now time.Time) error {
	if err := m.step(StepFeesCollected); err != nil {
		return err
	}
	r := nonBlank(receipts)
	if len(r) == 0 {
		return ErrReceiptsMissing
	}
	bills := map[string]string{}
	for _, l := range links {
		if !blank(l.BillID) {
			bills[l.ReceiptNo] = l.BillID
		}
	}
	out := make([]ReceiptBill, 0, len(r))
	for _, rc := range r {
		bill, ok := bills[rc]
		if !ok {
			return fmt.Errorf("%w: %s", ErrReceiptNotBilled, rc)
		}
		out = append(out, ReceiptBill{ReceiptNo: rc, BillID: bill})
	}
	m.record(StepRecorded{Step: StepFeesCollected, Receipts: r, At: now})
	m.record(FeeReceiptsLinked{Links: out, At: now})
	return nil
}

// PendingDocuments are the move-in's documents (the agreements signed, the
// forms filled and the photos taken) not yet in the owner's archive, as
// the archive's catalogue names them (R-M3).
func (m *MoveIn) PendingDocuments() []string {
	var out []string
	for _, d := range m.documents {
		if !m.filed[d] {
			out = append(out, d)
		}
	}
	return out
}

// RecordDocumentsFiled records that documents were entered in the owner's
// archive (R-M3); each must be pending.
func (m *MoveIn) RecordDocumentsFiled(archiveID string, documents []string, now time.Time) error {
	pending := m.PendingDocuments()
	if len(documents) == 0 || blank(archiveID) {
		return ErrNothingToFile
	}
	for _, d := range documents {
		if !slices.Contains(pending, d) {
			return ErrNothingToFile
		}
	}
	m.record(DocumentsFiled{ArchiveID: archiveID, Documents: documents, At: now})
	return nil
}

// DocumentCount is how many documents for the owner's archive a move-in's
// agreements, forms and photos make (each counted once).
func DocumentCount(agreements, forms, photos []string) int {
	seen := map[string]bool{}
	for i, ss := range [][]string{agreements, forms, photos} {
		for _, s := range ss {
			seen[fmt.Sprint(i, "|", s)] = true
		}
	}
	return len(seen)
}

func (m *MoveIn) addDocument(doc string) {
	if !slices.Contains(m.documents, doc) {
		m.documents = append(m.documents, doc)
	}
}

// archiveDocument is the catalogue name of one move-in document.
func (m *MoveIn) archiveDocument(what, ref string) string {
	return fmt.Sprintf("入住资料 %s %s（%s）", what, ref, m.id)
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
		m.done, m.defects, m.filed = map[Step]bool{}, map[string]*defect{}, map[string]bool{}
	case StepRecorded:
		m.done[e.Step] = true
		for _, a := range e.Agreements {
			m.addDocument(m.archiveDocument("协议", a))
		}
		for _, f := range e.Forms {
			m.addDocument(m.archiveDocument("表单", f))
		}
		for _, p := range e.Photos {
			m.addDocument(m.archiveDocument("照片", p))
		}
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
	case RiskFlagged:
		// the warning is the event (R-M4); no state to change
	case FeeReceiptsLinked:
	case DocumentsFiled:
		for _, d := range e.Documents {
			m.filed[d] = true
		}
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
