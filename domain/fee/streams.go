package fee

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every bill.
const StreamPrefix = "bill-"

// Stream is the stream of one bill.
func Stream(id string) string { return StreamPrefix + id }
