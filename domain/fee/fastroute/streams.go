package fastroute

// StreamPrefix starts the stream name of every fast-route obstacle.
const StreamPrefix = "fastroute-"

// Stream is the stream of one fast-route obstacle.
func Stream(id string) string { return StreamPrefix + id }
