package quality

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

const (
	// SpotCheckStreamPrefix starts the stream name of every spot check.
	SpotCheckStreamPrefix = "spotcheck-"
	// PatrolStreamPrefix starts the stream name of every supervisor patrol.
	PatrolStreamPrefix = "supervisorpatrol-"
)

// SpotCheckStream is the stream of one spot check.
func SpotCheckStream(id string) string { return SpotCheckStreamPrefix + id }

// PatrolStream is the stream of one supervisor patrol.
func PatrolStream(id string) string { return PatrolStreamPrefix + id }
