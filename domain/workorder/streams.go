package workorder

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every work order.
const StreamPrefix = "workorder-"

// Stream is the stream of one work order.
func Stream(id string) string { return StreamPrefix + id }
