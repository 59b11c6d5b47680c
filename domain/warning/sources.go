package warning

import (
	"encoding/json"
	"strings"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/visit"
)

// Source is a kind of event that warns the project manager at once.
type Source struct {
	// Kind names the source record ("complaint", "visit"); Prefix is its
	// stream prefix and EventType the event that raises the warning.
	Kind, Prefix, EventType string
	// Rule is the rule that asks for the warning.
	Rule string
	// Reason reads what the warning says from the event's data.
	Reason func(data []byte) (string, error)
}

// Sources are the events that raise a warning; a new one is one more entry.
var Sources = []Source{
	{Kind: "complaint", Prefix: complaint.StreamPrefix, EventType: complaint.TypeRiskFlagged, Rule: "R-C4",
		Reason: func(data []byte) (string, error) {
			var e complaint.RiskFlagged
			err := json.Unmarshal(data, &e)
			return e.Reason, err
		}},
	{Kind: "visit", Prefix: visit.StreamPrefix, EventType: visit.TypeProblemWarned, Rule: "R-H5",
		Reason: func(data []byte) (string, error) {
			var e visit.CommonProblemWarned
			err := json.Unmarshal(data, &e)
			return e.Problem, err
		}},
	{Kind: "move_in", Prefix: movein.StreamPrefix, EventType: movein.TypeRiskFlagged, Rule: "R-M4",
		Reason: func(data []byte) (string, error) {
			var e movein.RiskFlagged
			err := json.Unmarshal(data, &e)
			return e.Reason, err
		}},
}

// SourceOf is the source whose event of eventType on stream raises a
// warning (ok false: the event raises none).
func SourceOf(stream, eventType string) (Source, bool) {
	for _, s := range Sources {
		if s.EventType == eventType && strings.HasPrefix(stream, s.Prefix) {
			return s, true
		}
	}
	return Source{}, false
}
