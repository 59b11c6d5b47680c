package activity

import "strconv"

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

const (
	// StreamPrefix starts the stream name of every activity.
	StreamPrefix = "activity-"
	// PlanStreamPrefix starts the stream name of every yearly activity plan.
	PlanStreamPrefix = "activityplan-"
)

// Stream is the stream of one activity.
func Stream(id string) string { return StreamPrefix + id }

// PlanStream is the stream of one project's activity plan for a year.
func PlanStream(project string, year int) string {
	return PlanStreamPrefix + project + "-" + strconv.Itoa(year)
}
