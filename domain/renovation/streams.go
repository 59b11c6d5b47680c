package renovation

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every renovation.
const StreamPrefix = "renovation-"

// Stream is the stream of one renovation.
func Stream(id string) string { return StreamPrefix + id }
