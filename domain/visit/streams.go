package visit

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

const (
	// PlanStreamPrefix starts the stream name of every visit plan.
	PlanStreamPrefix = "visitplan-"
	// StreamPrefix starts the stream name of every visit.
	StreamPrefix = "visit-"
	// DueStreamPrefix starts the stream name of every required return visit.
	DueStreamPrefix = "returnvisit-"
)

// PlanStream is the stream of one visit plan.
func PlanStream(id string) string { return PlanStreamPrefix + id }

// Stream is the stream of one visit.
func Stream(id string) string { return StreamPrefix + id }

// DueStream is the stream of one required return visit.
func DueStream(id string) string { return DueStreamPrefix + id }
