// Package commandcentre is the command centre (指挥中心, R-N1…R-N3): duty
// shifts that log every customer message and hand what is unhandled to
// the next shift, emergencies that follow their procedure step by step,
// and the centre's monthly drills and hand-over checks.
//
// Streams: shift-<id> (Shift), emergency-<id> (Emergency) and
// commandcentre-<project> (Log: drills and hand-over checks).
package commandcentre

import (
	"sort"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Shift is one duty shift. Build one with OpenShift or ShiftFromHistory.
type Shift struct {
	id, project string
	opened      bool
	closed      bool
	handedOver  bool
	// open are the messages neither handled nor handed over, by id.
	open map[string]Message
	// handed are the messages passed to the next shift.
	handed map[string]Message

	changes []event.Payload
}

// OpenShift starts a shift. previous, when not nil, is the shift before:
// it must have handed over, and its handed-over messages are carried in.
func OpenShift(id, project, operator string, night bool, previous *Shift, now time.Time) (*Shift, error) {
	if blank(id) || blank(project) || blank(operator) {
		return nil, ErrOpenIncomplete
	}
	e := ShiftOpened{ShiftID: id, Project: project, Operator: operator, Night: night, At: now}
	if previous != nil {
		if !previous.handedOver {
			return nil, ErrPreviousNotHandedOver
		}
		e.Previous = previous.id
		e.Carried = previous.HandedOverMessages()
	}
	s := &Shift{}
	s.record(e)
	return s, nil
}

// ShiftFromHistory rebuilds a shift from its events.
func ShiftFromHistory(history []event.Payload) (*Shift, error) {
	s := &Shift{}
	for _, p := range history {
		if err := s.apply(p); err != nil {
			return nil, err
		}
	}
	if !s.opened {
		return nil, ErrNotOpened
	}
	return s, nil
}

// LogMessage records a customer message received (R-N1: every one).
func (s *Shift) LogMessage(id, from, content string, now time.Time) error {
	if s.closed {
		return ErrShiftClosed
	}
	if blank(id) || blank(from) || blank(content) {
		return ErrMessageIncomplete
	}
	s.record(MessageLogged{Message: Message{ID: id, From: from, Content: content, ReceivedAt: now}, At: now})
	return nil
}

// HandleMessage records what was done about an open message.
func (s *Shift) HandleMessage(id, result string, now time.Time) error {
	if s.closed {
		return ErrShiftClosed
	}
	if _, ok := s.open[id]; !ok {
		return ErrUnknownMessage
	}
	if blank(result) {
		return ErrResultMissing
	}
	s.record(MessageHandled{MessageID: id, Result: result, At: now})
	return nil
}

// HandOver passes every open message to the next shift's operator (R-N1).
func (s *Shift) HandOver(to string, now time.Time) error {
	if s.closed {
		return ErrShiftClosed
	}
	if s.handedOver {
		return ErrAlreadyHandedOver
	}
	if blank(to) {
		return ErrNextOperatorMissing
	}
	ids := make([]string, 0, len(s.open))
	for id := range s.open {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	s.record(ShiftHandedOver{To: to, MessageIDs: ids, At: now})
	return nil
}

// Close ends the shift; refused while a message is open (R-N1, R-N3).
func (s *Shift) Close(now time.Time) error {
	if s.closed {
		return ErrShiftClosed
	}
	if len(s.open) > 0 {
		return ErrMessagesOpen
	}
	s.record(ShiftClosed{At: now})
	return nil
}

// HandedOverMessages are the messages this shift passed on.
func (s *Shift) HandedOverMessages() []Message {
	var out []Message
	for _, m := range s.handed {
		m.FromShift = s.id
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Shift) ID() string               { return s.id }
func (s *Shift) Project() string          { return s.project }
func (s *Shift) District() string         { return "" }
func (s *Shift) Changes() []event.Payload { return s.changes }

func (s *Shift) record(p event.Payload) {
	_ = s.apply(p)
	s.changes = append(s.changes, p)
}

func (s *Shift) apply(p event.Payload) error {
	switch e := p.(type) {
	case ShiftOpened:
		s.id, s.project, s.opened = e.ShiftID, e.Project, true
		s.open = map[string]Message{}
		for _, m := range e.Carried {
			s.open[m.ID] = m
		}
	case MessageLogged:
		s.open[e.ID] = e.Message
	case MessageHandled:
		delete(s.open, e.MessageID)
	case ShiftHandedOver:
		s.handedOver = true
		s.handed = s.open
		s.open = map[string]Message{}
	case ShiftClosed:
		s.closed = true
	default:
		return errUnknown(p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
