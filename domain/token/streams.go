package token

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// Stream holds every token revocation, of every project.
const Stream = "token-revocations"
