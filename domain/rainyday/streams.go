package rainyday

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of a project's rainy days.
const StreamPrefix = "rainyday-"

// Stream is the rainy-day stream of one project.
func Stream(project string) string { return StreamPrefix + project }
