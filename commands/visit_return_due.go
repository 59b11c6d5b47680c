package commands

import (
	"time"

	"github.com/butler-pm/butler/domain/visit"
)

// Deadlines of required return visits (R-H3). The seed gives 24 h for an
// urgent repair and "after the first rain" for a leak; for a handled
// complaint and a family misfortune it says only "visit", so we allow
// three days, the same horizon as the repair SLA.
const (
	ComplaintReturnVisitWithin  = 72 * time.Hour
	MisfortuneReturnVisitWithin = 72 * time.Hour
	// A bill in arrears is chased in person (催收物业服务费用时上门拜访)
	// within a week of falling into arrears.
	FeeCollectionVisitWithin = 7 * 24 * time.Hour
)

// dueStream is a required return visit's stream for the system path.
func dueStream(id string, open func(time.Time) (*visit.Due, eventRef, bool, error)) systemStream[*visit.Due] {
	return systemStream[*visit.Due]{id: id, name: visit.DueStream(id), decode: visit.Decode, rebuild: visit.DueFromHistory,
		codes: visitCodes, open: open}
}
