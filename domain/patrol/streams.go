package patrol

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every vacant-unit patrol.
const StreamPrefix = "patrol-"

// Stream is the stream of one patrol.
func Stream(id string) string { return StreamPrefix + id }
