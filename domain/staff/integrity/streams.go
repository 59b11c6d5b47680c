package integrity

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every integrity report.
const StreamPrefix = "integrity-"

// Stream is the stream of one integrity report.
func Stream(id string) string { return StreamPrefix + id }
