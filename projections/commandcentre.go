package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Command-centre read models (R-N1…R-N3).
const (
	ShiftsIndex      = "cc_shifts"
	CCMessagesIndex  = "cc_messages"
	EmergenciesIndex = "cc_emergencies"
	CCRecordsIndex   = "cc_records"
)

// Shift is one duty shift.
type Shift struct {
	ID           string     `json:"id"`
	Project      string     `json:"project"`
	District     string     `json:"district"`
	Operator     string     `json:"operator"`
	Night        bool       `json:"night"`
	Status       string     `json:"status"` // open, handed_over, closed
	Previous     string     `json:"previous,omitempty"`
	Messages     []string   `json:"messages"`
	OpenMessages []string   `json:"open_messages"`
	HandedTo     string     `json:"handed_to,omitempty"`
	Month        string     `json:"month"`
	OpenedAt     time.Time  `json:"opened_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	Versioned
}

// Shifts projects shift streams.
var Shifts = StreamModel[Shift]{Index: ShiftsIndex, Prefix: commandcentre.ShiftStreamPrefix, Decode: cc.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "operator": Keyword, "status": Keyword, "month": Keyword,
		"previous": Keyword, "open_messages": Keyword, "night": Bool, "opened_at": Date, "closed_at": Date,
	},
	Fold: func(d *Shift, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case cc.ShiftOpened:
			*d = Shift{ID: id, Project: p.Project, Operator: p.Operator, Night: p.Night, Status: "open", Previous: p.Previous,
				Messages: []string{}, OpenMessages: []string{}, Month: localtime.Month(p.At), OpenedAt: p.At}
			for _, m := range p.Carried {
				d.Messages = append(d.Messages, m.ID)
				d.OpenMessages = append(d.OpenMessages, m.ID)
			}
		case cc.MessageLogged:
			d.Messages = append(d.Messages, p.ID)
			d.OpenMessages = append(d.OpenMessages, p.ID)
		case cc.MessageHandled:
			d.OpenMessages = without(d.OpenMessages, p.MessageID)
		case cc.ShiftHandedOver:
			d.Status, d.HandedTo, d.OpenMessages = "handed_over", p.To, []string{}
		case cc.ShiftClosed:
			t := p.At
			d.Status, d.ClosedAt = "closed", &t
		}
	},
}

func without(xs []string, x string) []string {
	out := []string{}
	for _, y := range xs {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}

// CCMessage is one customer message received by the command centre. It
// is kept with a small document per shift ("shift:<id>") that remembers
// whether the shift is a night shift.
type CCMessage struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // message or shift
	Project  string `json:"project"`
	District string `json:"district"`
	// Shift is the shift that received it; CurrentShift the one holding it now.
	Shift        string    `json:"shift,omitempty"`
	CurrentShift string    `json:"current_shift,omitempty"`
	Operator     string    `json:"operator"`
	Night        bool      `json:"night"`
	From         string    `json:"from,omitempty"`
	Content      string    `json:"content,omitempty"`
	ReceivedAt   time.Time `json:"received_at,omitzero"`
	Month        string    `json:"month,omitempty"`
	Handled      bool      `json:"handled"`
	Result       string    `json:"result,omitempty"`
	HandedOver   bool      `json:"handed_over"`
	// Unhandled: neither handled nor handed over (R-N1).
	Unhandled bool `json:"unhandled"`
}

// CCMessages projects the messages in shift streams.
type CCMessages struct{}

func (CCMessages) Name() string { return CCMessagesIndex }
func (CCMessages) Schema() Schema {
	return Schema{Name: CCMessagesIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "shift": Keyword, "current_shift": Keyword,
		"operator": Keyword, "month": Keyword, "from": Text, "content": Text, "result": Text, "received_at": Date,
		"night": Bool, "handled": Bool, "handed_over": Bool, "unhandled": Bool,
	}}
}

func (CCMessages) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, commandcentre.ShiftStreamPrefix, cc.Decode)
	if !ok || err != nil {
		return err
	}
	// The shift document orders the stream (gaps refused, replays skipped).
	var shift CCMessage
	cur, found, err := docs.Get(ctx, "shift:"+id)
	if err != nil {
		return err
	}
	if found && e.Revision <= cur.Version {
		return nil
	}
	if err := FoldStream(ctx, docs, "shift:"+id, e, func(d *CCMessage) error {
		if o, ok := p.(cc.ShiftOpened); ok {
			*d = CCMessage{ID: "shift:" + id, Kind: "shift", Project: o.Project, Operator: o.Operator, Night: o.Night}
		}
		shift = *d
		return nil
	}); err != nil {
		return err
	}
	// Messages are fed by several shift streams, so they are versioned by
	// global position.
	put := func(msgID string, change func(m *CCMessage)) error {
		var m CCMessage
		cur, found, err := docs.Get(ctx, msgID)
		if err != nil {
			return err
		}
		if found {
			if cur.Version >= uint64(e.Position) {
				return nil
			}
			if err := json.Unmarshal(cur.Source, &m); err != nil {
				return err
			}
		}
		change(&m)
		m.Unhandled = !m.Handled && !m.HandedOver
		src, err := json.Marshal(m)
		if err != nil {
			return err
		}
		docs.Put(Document{ID: msgID, Version: uint64(e.Position), Source: src})
		return nil
	}
	switch p := p.(type) {
	case cc.ShiftOpened:
		for _, msg := range p.Carried {
			if err := put(msg.ID, func(m *CCMessage) { m.CurrentShift = id }); err != nil {
				return err
			}
		}
	case cc.MessageLogged:
		return put(p.ID, func(m *CCMessage) {
			*m = CCMessage{ID: p.ID, Kind: "message", Project: shift.Project, Shift: id, CurrentShift: id, Operator: shift.Operator,
				Night: shift.Night, From: p.From, Content: p.Content, ReceivedAt: p.ReceivedAt, Month: localtime.Month(p.ReceivedAt)}
		})
	case cc.MessageHandled:
		return put(p.MessageID, func(m *CCMessage) { m.Handled, m.Result = true, p.Result })
	case cc.ShiftHandedOver:
		for _, msgID := range p.MessageIDs {
			if err := put(msgID, func(m *CCMessage) { m.HandedOver = true }); err != nil {
				return err
			}
		}
	}
	return nil
}

// Emergency is one emergency and the progress of its procedure.
type Emergency struct {
	ID       string     `json:"id"`
	Project  string     `json:"project"`
	District string     `json:"district"`
	Type     string     `json:"type"`
	Location string     `json:"location"`
	Steps    []string   `json:"steps"`
	Done     []string   `json:"done"`
	Status   string     `json:"status"` // open, closed
	Summary  string     `json:"summary,omitempty"`
	Month    string     `json:"month"`
	At       time.Time  `json:"reported_at"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	Versioned
}

// Emergencies projects emergency streams.
var Emergencies = StreamModel[Emergency]{Index: EmergenciesIndex, Prefix: commandcentre.EmergencyStreamPrefix, Decode: cc.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "type": Keyword, "status": Keyword, "month": Keyword,
		"location": Text, "summary": Text, "reported_at": Date, "closed_at": Date,
	},
	Fold: func(d *Emergency, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case cc.EmergencyReported:
			*d = Emergency{ID: id, Project: p.Project, District: p.District, Type: p.Type, Location: p.Location, Steps: p.Steps,
				Done: []string{}, Status: "open", Month: localtime.Month(p.At), At: p.At}
		case cc.EmergencyStepDone:
			d.Done = append(d.Done, p.Step)
		case cc.EmergencyClosed:
			t := p.At
			d.Status, d.Summary, d.ClosedAt = "closed", p.Summary, &t
		}
	},
}

// CCRecord is one drill or hand-over check.
type CCRecord struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // drill or handover_check
	Project  string    `json:"project"`
	District string    `json:"district"`
	By       string    `json:"by"`
	Type     string    `json:"type,omitempty"`
	Shift    string    `json:"shift,omitempty"`
	Passed   bool      `json:"passed"`
	Notes    string    `json:"notes,omitempty"`
	People   int       `json:"participants,omitempty"`
	Month    string    `json:"month"`
	At       time.Time `json:"at"`
}

// CCRecords projects the command-centre log: one document per event.
type CCRecords struct{}

func (CCRecords) Name() string { return CCRecordsIndex }
func (CCRecords) Schema() Schema {
	return Schema{Name: CCRecordsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "by": Keyword, "type": Keyword,
		"shift": Keyword, "month": Keyword, "notes": Text, "at": Date, "passed": Bool,
	}}
}

func (CCRecords) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	if !strings.HasPrefix(e.Stream, commandcentre.LogStreamPrefix) {
		return nil
	}
	p, err := cc.Decode(e.Type, e.Data)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("%s@%d", e.Stream, e.Revision)
	if _, found, err := docs.Get(ctx, id); err != nil || found {
		return err
	}
	r := CCRecord{ID: id, Project: e.Meta.Project, District: e.Meta.District, By: e.Meta.Actor.StaffID}
	switch p := p.(type) {
	case cc.DrillHeld:
		r.Kind, r.Type, r.People, r.Month, r.At, r.Passed = "drill", p.Type, p.Participants, p.Month, p.At, true
	case cc.HandoverChecked:
		r.Kind, r.Shift, r.Passed, r.Notes, r.Month, r.At = "handover_check", p.ShiftID, p.Passed, p.Notes, p.Month, p.At
	default:
		return nil
	}
	src, err := json.Marshal(r)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: e.Revision, Source: src})
	return nil
}
