package reconcile

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every key-register day.
const StreamPrefix = "keyday-"

// Stream is the stream of one key-register day.
func Stream(id string) string { return StreamPrefix + id }
