package commandcentre

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

const (
	// ShiftStreamPrefix starts the stream name of every shift.
	ShiftStreamPrefix = "shift-"
	// EmergencyStreamPrefix starts the stream name of every emergency.
	EmergencyStreamPrefix = "emergency-"
	// LogStreamPrefix starts the stream name of a project's command-centre log
	// (drills and hand-over checks).
	LogStreamPrefix = "commandcentre-"
)

// ShiftStream is the stream of one shift.
func ShiftStream(id string) string { return ShiftStreamPrefix + id }

// EmergencyStream is the stream of one emergency.
func EmergencyStream(id string) string { return EmergencyStreamPrefix + id }

// LogStream is the command-centre log of one project.
func LogStream(project string) string { return LogStreamPrefix + project }
