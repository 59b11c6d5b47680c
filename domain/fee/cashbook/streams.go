package cashbook

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every cashier-ledger week.
const StreamPrefix = "cashbook-"

// Stream is the stream of one project's cashier-ledger week.
func Stream(id string) string { return StreamPrefix + id }
