// Package integrity is integrity reports (投诉与举报, R-S6): a staff
// member reports misconduct to the administration/HR department
// (operations), confidentially. One stream per report: integrity-<id>.
//
// Confidentiality is kept by the read side: reports are never put in a
// search index; only operations reads them, from the stream.
package integrity

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names.
const (
	TypeFiled   = "integrity.filed.v1"
	TypeHandled = "integrity.handled.v1"
)

// Filed: a report, addressed to operations (运营部/行政人事部). Kind
// (added later, optional: reports filed before it read as "other") is
// which prohibited act it reports.
type Filed struct {
	ReportID  string    `json:"report_id"`
	Project   string    `json:"project"`
	Kind      string    `json:"kind,omitempty"`
	Subject   string    `json:"subject"`
	Content   string    `json:"content"`
	Anonymous bool      `json:"anonymous"`
	To        string    `json:"to"`
	At        time.Time `json:"at"`
}

// Handled: operations' conclusion.
type Handled struct {
	Outcome string    `json:"outcome"`
	At      time.Time `json:"at"`
}

func (Filed) EventType() string   { return TypeFiled }
func (Handled) EventType() string { return TypeHandled }

// Decode turns a stored integrity event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeFiled:
		var p Filed
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("integrity: decode %s: %w", eventType, err)
		}
		return p, nil
	case TypeHandled:
		var p Handled
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("integrity: decode %s: %w", eventType, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("integrity: unknown event type %q", eventType)
}

// Kinds are the prohibited acts of the code of conduct a report may name
// (禁止行为, R-S9; R-D3 for owners' data).
var Kinds = []string{
	"side_job",             // 兼职
	"conflict_of_interest", // 个人与公司利益冲突
	"relative_not_recused", // 亲属未回避
	"found_property_kept",  // 拾遗未上交
	"owner_data_leaked",    // 泄露业主信息
	"bribery",              // 索取、收受好处
	"other",                // 其他违纪
}

// KindOf is a Filed's kind: "other" for reports filed before kinds.
func KindOf(f Filed) string {
	if f.Kind == "" {
		return "other"
	}
	return f.Kind
}

// Domain errors: each states the rule that was broken.
var (
	ErrUnknownKind      = errors.New("an integrity report's kind is one of side_job, conflict_of_interest, relative_not_recused, found_property_kept, owner_data_leaked, bribery, other")
	ErrReportIncomplete = errors.New("an integrity report says whom it concerns and what happened")
	ErrNotFiled         = errors.New("the integrity report does not exist")
	ErrAlreadyHandled   = errors.New("the integrity report is already handled")
	ErrOutcomeMissing   = errors.New("handling a report records its outcome")
)

// Report is one integrity report.
type Report struct {
	id, project string
	handled     bool
	changes     []event.Payload
}

// File records a report of a prohibited act of kind ("" is other),
// addressed to operations (R-S6, R-S9).
func File(id, project, kind, subject, content string, anonymous bool, now time.Time) (*Report, error) {
	if strings.TrimSpace(id) == "" || strings.TrimSpace(project) == "" || strings.TrimSpace(subject) == "" || strings.TrimSpace(content) == "" {
		return nil, ErrReportIncomplete
	}
	if kind == "" {
		kind = "other"
	}
	if !slices.Contains(Kinds, kind) {
		return nil, ErrUnknownKind
	}
	r := &Report{}
	r.record(Filed{ReportID: id, Project: project, Kind: kind, Subject: subject, Content: content, Anonymous: anonymous, To: "operations", At: now})
	return r, nil
}

// FromHistory rebuilds a report.
func FromHistory(history []event.Payload) (*Report, error) {
	r := &Report{}
	for _, p := range history {
		if err := r.apply(p); err != nil {
			return nil, err
		}
	}
	if r.id == "" {
		return nil, ErrNotFiled
	}
	return r, nil
}

// Handle records operations' outcome.
func (r *Report) Handle(outcome string, now time.Time) error {
	if r.handled {
		return ErrAlreadyHandled
	}
	if strings.TrimSpace(outcome) == "" {
		return ErrOutcomeMissing
	}
	r.record(Handled{Outcome: outcome, At: now})
	return nil
}

func (r *Report) Project() string          { return r.project }
func (r *Report) District() string         { return "" }
func (r *Report) Changes() []event.Payload { return r.changes }

func (r *Report) record(p event.Payload) {
	_ = r.apply(p)
	r.changes = append(r.changes, p)
}

func (r *Report) apply(p event.Payload) error {
	switch e := p.(type) {
	case Filed:
		r.id, r.project = e.ReportID, e.Project
	case Handled:
		r.handled = true
	default:
		return fmt.Errorf("integrity: cannot apply %T", p)
	}
	return nil
}
