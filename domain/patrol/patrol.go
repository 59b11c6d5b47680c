// Package patrol is a butler's daily public-area patrol (R-V4: 每日进行
// 责任区域公共部位的巡视): the areas walked and what was found; a finding
// becomes a public-area work order, and the patrol remembers which.
//
// One stream per patrol: patrol-<id>.
package patrol

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Stored event type names.
const (
	TypeRecorded        = "patrol.recorded.v1"
	TypeFindingReported = "patrol.finding_reported.v1"
)

// Recorded: a patrol walked.
type Recorded struct {
	PatrolID string    `json:"patrol_id"`
	Project  string    `json:"project"`
	District string    `json:"district"`
	Butler   string    `json:"butler"`
	Date     string    `json:"date"`
	Areas    []string  `json:"areas"`
	Findings []string  `json:"findings"`
	At       time.Time `json:"at"`
}

// FindingReported: a finding was turned into a work order.
type FindingReported struct {
	Finding     int       `json:"finding"`
	WorkOrderID string    `json:"work_order_id"`
	At          time.Time `json:"at"`
}

func (Recorded) EventType() string        { return TypeRecorded }
func (FindingReported) EventType() string { return TypeFindingReported }

// Decode turns a stored patrol event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRecorded:
		var p Recorded
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("patrol: decode %s: %w", eventType, err)
		}
		return p, nil
	case TypeFindingReported:
		var p FindingReported
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("patrol: decode %s: %w", eventType, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("patrol: unknown event type %q", eventType)
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotRecorded      = errors.New("the patrol has not been recorded")
	ErrPatrolIncomplete = errors.New("a patrol names the butler, the district and at least one area walked")
	ErrUnknownFinding   = errors.New("no such finding on this patrol")
	ErrAlreadyReported  = errors.New("this finding already has a work order")
	ErrWorkOrderMissing = errors.New("a reported finding names its work order")
)

// Patrol is one patrol.
type Patrol struct {
	id, project, district string
	findings              []string
	reported              map[int]bool

	changes []event.Payload
}

// Record records a patrol walked today (now's date).
func Record(id, project, district, butler string, areas, findings []string, now time.Time) (*Patrol, error) {
	if blank(id) || blank(project) || blank(district) || blank(butler) || len(areas) == 0 {
		return nil, ErrPatrolIncomplete
	}
	var fs []string
	for _, f := range findings {
		if !blank(f) {
			fs = append(fs, f)
		}
	}
	if fs == nil {
		fs = []string{}
	}
	p := &Patrol{}
	p.record(Recorded{PatrolID: id, Project: project, District: district, Butler: butler, Date: localtime.Day(now),
		Areas: areas, Findings: fs, At: now})
	return p, nil
}

// FromHistory rebuilds a patrol.
func FromHistory(history []event.Payload) (*Patrol, error) {
	p := &Patrol{}
	for _, e := range history {
		if err := p.apply(e); err != nil {
			return nil, err
		}
	}
	if p.id == "" {
		return nil, ErrNotRecorded
	}
	return p, nil
}

// Finding returns finding i's text, to describe its work order.
func (p *Patrol) Finding(i int) (string, error) {
	if i < 0 || i >= len(p.findings) {
		return "", ErrUnknownFinding
	}
	if p.reported[i] {
		return "", ErrAlreadyReported
	}
	return p.findings[i], nil
}

// ReportFinding links finding i to its work order, once.
func (p *Patrol) ReportFinding(i int, workOrderID string, now time.Time) error {
	if _, err := p.Finding(i); err != nil {
		return err
	}
	if blank(workOrderID) {
		return ErrWorkOrderMissing
	}
	p.record(FindingReported{Finding: i, WorkOrderID: workOrderID, At: now})
	return nil
}

func (p *Patrol) ID() string               { return p.id }
func (p *Patrol) Project() string          { return p.project }
func (p *Patrol) District() string         { return p.district }
func (p *Patrol) Changes() []event.Payload { return p.changes }

func (p *Patrol) record(e event.Payload) {
	_ = p.apply(e)
	p.changes = append(p.changes, e)
}

func (p *Patrol) apply(e event.Payload) error {
	switch x := e.(type) {
	case Recorded:
		p.id, p.project, p.district, p.findings, p.reported = x.PatrolID, x.Project, x.District, x.Findings, map[int]bool{}
	case FindingReported:
		p.reported[x.Finding] = true
	default:
		return fmt.Errorf("patrol: cannot apply %T", e)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
