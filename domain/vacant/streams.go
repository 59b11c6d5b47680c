package vacant

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every vacant unit.
const StreamPrefix = "vacant-"

// Stream is the stream of one vacant unit.
func Stream(id string) string { return StreamPrefix + id }
