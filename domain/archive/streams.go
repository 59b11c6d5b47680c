package archive

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

const (
	// StreamPrefix starts the stream name of every owner archive.
	StreamPrefix = "archive-"
	// AccessStreamPrefix starts the stream name of every archive's read log.
	AccessStreamPrefix = "archiveaccess-"
)

// Stream is the stream of one archive.
func Stream(id string) string { return StreamPrefix + id }

// AccessStream is the read log of one archive.
func AccessStream(id string) string { return AccessStreamPrefix + id }
