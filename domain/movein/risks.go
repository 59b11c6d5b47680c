package movein

import (
	"errors"
	"time"
)

// R-M4: at the hand-over site (交房现场), group-complaint risk points are
// recorded and warn the project manager at once: each RiskFlagged is a
// warning in the project manager's inbox (domain/warning).

// TypeRiskFlagged is a group-complaint risk recorded at the hand-over site.
const TypeRiskFlagged = "movein.risk_flagged.v1"

// ErrRiskReasonMissing: a risk point says what it is.
var ErrRiskReasonMissing = errors.New("a group-complaint risk at the hand-over site says what the risk is (R-M4)")

// RiskFlagged: a group-complaint risk point found at the hand-over site
// (several owners refusing the same defect, a dispute over the delivered
// standard…), addressed to the project manager role (R-M4).
type RiskFlagged struct {
	Reason string    `json:"reason"`
	Warn   string    `json:"warn"`
	At     time.Time `json:"at"`
}

func (RiskFlagged) EventType() string { return TypeRiskFlagged }

// FlagRisk records a group-complaint risk point at the hand-over site and
// so warns the project manager (R-M4). A move-in may record several.
func (m *MoveIn) FlagRisk(reason string, now time.Time) error {
	if m.id == "" {
		return ErrNotOpened
	}
	if blank(reason) {
		return ErrRiskReasonMissing
	}
	m.record(RiskFlagged{Reason: reason, Warn: "project_manager", At: now})
	return nil
}
