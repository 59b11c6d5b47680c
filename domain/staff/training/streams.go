package training

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every training plan.
const StreamPrefix = "trainingplan-"

// Stream is the stream of one training plan.
func Stream(id string) string { return StreamPrefix + id }
