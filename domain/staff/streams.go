package staff

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every staff member.
const StreamPrefix = "staff-"

// Stream is the stream of one staff member.
func Stream(id string) string { return StreamPrefix + id }
