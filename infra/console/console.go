// Package console is Butler's web console: static pages (plain ES modules,
// one style sheet, Apache ECharts vendored) embedded in the binary and
// served at /, talking to the API under /api/v1 with the token a sign-in
// returns. Nothing is built and nothing is loaded from elsewhere.
//
// A page is one file in assets/pages/ and one line in assets/app.js's
// route table (docs/console.md).
package console

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed assets
var assets embed.FS

// Assets are the console's files (index.html, app.js, pages/, vendor/).
func Assets() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

// securityPolicy lets the console load only its own scripts, styles and
// data, and be framed by no one. ECharts writes inline styles.
const securityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Handler serves the console: index.html at / and /activate (the pages
// are chosen after '#'), the files under /assets/.
func Handler() http.Handler {
	files := http.FileServerFS(Assets())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", securityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The files change with the binary, which sets no modification
		// time: ask the browser to check each time.
		h.Set("Cache-Control", "no-cache")
		switch {
		case r.URL.Path == "/" || r.URL.Path == "/activate":
			http.ServeFileFS(w, r, Assets(), "index.html")
		case strings.HasPrefix(r.URL.Path, "/assets/") && !strings.HasSuffix(r.URL.Path, "/"):
			r2 := r.Clone(r.Context())
			r2.URL.Path = strings.TrimPrefix(r.URL.Path, "/assets")
			files.ServeHTTP(w, r2)
		default:
			http.NotFound(w, r)
		}
	})
}
