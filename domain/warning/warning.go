// Package warning is the project manager's inbox of warnings (R-C4, R-H5,
// R-M4): a group-complaint risk flagged on a complaint, a common problem
// beyond a butler's authority found on a visit, a risk point at a move-in's
// hand-over site. Each is raised by its own record's event
// (complaint.risk_flagged.v1, visit.common_problem_warned.v1,
// movein.risk_flagged.v1: Sources);
// this aggregate records what the project manager does with it: the
// acknowledgement, who and when, once.
//
// A warning's id names the event that raised it: its stream and revision,
// "complaint-<id>.3". Stream warning-<warning id> holds the acknowledgement.
package warning

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// StreamPrefix starts the stream of every warning's acknowledgement.
const StreamPrefix = "warning-"

// Stream is the stream of one warning.
func Stream(id string) string { return StreamPrefix + id }

// ID is the id of the warning raised by the event at revision of stream.
func ID(stream string, revision uint64) string { return fmt.Sprintf("%s.%d", stream, revision) }

// ParseID splits a warning id into the raising event's stream and revision.
func ParseID(id string) (stream string, revision uint64, ok bool) {
	i := strings.LastIndexByte(id, '.')
	if i <= 0 {
		return "", 0, false
	}
	rev, err := strconv.ParseUint(id[i+1:], 10, 64)
	if err != nil || strconv.FormatUint(rev, 10) != id[i+1:] {
		return "", 0, false
	}
	return id[:i], rev, true
}

// TypeAcknowledged is the stored type of an acknowledgement.
const TypeAcknowledged = "warning.acknowledged.v1"

// Acknowledged: the project manager By took note of the warning (and, in
// Note, what they will do). Source is the raising event's stream, Rule
// the rule that raised it (R-C4, R-H5, R-M4), RaisedAt when it was raised.
type Acknowledged struct {
	WarningID string    `json:"warning_id"`
	Source    string    `json:"source"`
	Rule      string    `json:"rule"`
	Project   string    `json:"project"`
	District  string    `json:"district"`
	By        string    `json:"by"`
	Note      string    `json:"note,omitempty"`
	RaisedAt  time.Time `json:"raised_at"`
	At        time.Time `json:"at"`
}

func (Acknowledged) EventType() string { return TypeAcknowledged }

// Domain errors: each states the rule that was broken.
var (
	ErrNotAWarning          = errors.New("a warning is acknowledged against the event that raised it, with who acknowledges it")
	ErrAlreadyAcknowledged  = errors.New("the warning is already acknowledged")
	ErrAcknowledgedTooEarly = errors.New("a warning cannot be acknowledged before it was raised")
)

// Raised is a warning as its raising event says it.
type Raised struct {
	ID, Source, Rule, Project, District string
	At                                  time.Time
}

// Warning is one warning's acknowledgement state.
type Warning struct {
	id, project, district string
	acknowledged          bool
	changes               []event.Payload
}

// FromHistory rebuilds a warning from its stream (empty: not acknowledged).
func FromHistory(history []event.Payload) (*Warning, error) {
	w := &Warning{}
	for _, p := range history {
		if err := w.apply(p); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Acknowledge records that by took note of the warning r (R-C4, R-H5).
func (w *Warning) Acknowledge(r Raised, by, note string, now time.Time) error {
	if w.acknowledged {
		return ErrAlreadyAcknowledged
	}
	if blank(r.ID) || blank(r.Source) || blank(r.Project) || blank(by) {
		return ErrNotAWarning
	}
	if now.Before(r.At) {
		return ErrAcknowledgedTooEarly
	}
	w.record(Acknowledged{WarningID: r.ID, Source: r.Source, Rule: r.Rule, Project: r.Project, District: r.District,
		By: by, Note: strings.TrimSpace(note), RaisedAt: r.At, At: now})
	return nil
}

func (w *Warning) ID() string               { return w.id }
func (w *Warning) Project() string          { return w.project }
func (w *Warning) District() string         { return w.district }
func (w *Warning) Acknowledged() bool       { return w.acknowledged }
func (w *Warning) Changes() []event.Payload { return w.changes }

func (w *Warning) record(p event.Payload) {
	_ = w.apply(p)
	w.changes = append(w.changes, p)
}

func (w *Warning) apply(p event.Payload) error {
	switch e := p.(type) {
	case Acknowledged:
		w.id, w.project, w.district, w.acknowledged = e.WarningID, e.Project, e.District, true
	default:
		return fmt.Errorf("warning: cannot apply %T", p)
	}
	return nil
}

// Decode turns a stored warning event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeAcknowledged:
		var p Acknowledged
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("warning: decode %s: %w", eventType, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("warning: unknown event type %q", eventType)
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
