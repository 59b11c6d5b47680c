package complaint

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every complaint.
const StreamPrefix = "complaint-"

// Stream is the stream of one complaint.
func Stream(id string) string { return StreamPrefix + id }
