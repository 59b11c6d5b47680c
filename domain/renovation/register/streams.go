package register

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every renovation register week.
const StreamPrefix = "renoregister-"

// Stream is the stream of one register week.
func Stream(id string) string { return StreamPrefix + id }
