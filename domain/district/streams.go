package district

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream of a project's district register.
const StreamPrefix = "districts-"

// Stream is the register of one project's districts.
func Stream(project string) string { return StreamPrefix + project }
