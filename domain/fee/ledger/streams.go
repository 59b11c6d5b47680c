package ledger

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every ledger reconciliation.
const StreamPrefix = "feeledger-"

// Stream is the stream of one ledger reconciliation.
func Stream(id string) string { return StreamPrefix + id }
