package movein

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every move-in.
const StreamPrefix = "movein-"

// Stream is the stream of one move-in.
func Stream(id string) string { return StreamPrefix + id }
