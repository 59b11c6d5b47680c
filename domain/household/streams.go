package household

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

const (
	// StreamPrefix starts the stream name of every household.
	StreamPrefix = "household-"
	// AccessStreamPrefix starts the streams of reads of personal data:
	// one per project and day (personaldata-<project>-<YYYY-MM-DD>).
	AccessStreamPrefix = "personaldata-"
)

// ID is a household's id: its project and its unit code ("p1:3-2-501").
// Unit codes repeat across projects, so the project is part of it; ':' is
// not used in project ids or unit codes.
func ID(project, unit string) string { return project + ":" + unit }

// Stream is the stream of one household: its contact and its erasure.
// It is also the additional data of every value sealed under the
// household's key, so a sealed value cannot be moved to another household.
func Stream(project, unit string) string { return StreamPrefix + ID(project, unit) }

// AccessStream is the stream of one project's reads of personal data on
// one day (day is YYYY-MM-DD in the project's time zone).
func AccessStream(project, day string) string { return AccessStreamPrefix + project + "-" + day }
