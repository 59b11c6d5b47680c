package debrief

// StreamPrefix starts the stream name of every collection-team day.
const StreamPrefix = "feedebrief-"

// Stream is the stream of one project's collection-team day.
func Stream(id string) string { return StreamPrefix + id }
