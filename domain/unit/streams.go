package unit

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream of a district's register of units.
const StreamPrefix = "units-"

// Stream is the register of one district's units: units-<project>:<district>
// (':' is used in neither project ids nor district codes).
func Stream(project, district string) string { return StreamPrefix + project + ":" + district }
