package console

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
)

var (
	importRe = regexp.MustCompile(`(?s)import \{([^}]*)\} from '([^']+)'`)
	exportRe = regexp.MustCompile(`export (?:async )?(?:function|const|class|let) ([A-Za-z_$][\w$]*)`)
	moduleRe = regexp.MustCompile(`module: '([^']+)'`)
)

// Every name a module imports is exported by the module it names, and every
// page of the route table exists: a browser would refuse the page otherwise.
func TestModulesImportWhatIsExported(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	_ = fs.WalkDir(Assets(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".js") && !strings.HasPrefix(p, "vendor/") {
			b, _ := fs.ReadFile(Assets(), p)
			files[p] = string(b)
		}
		return nil
	})
	if len(files) < 8 {
		t.Fatalf("only %d modules embedded", len(files))
	}
	for p, src := range files {
		for _, m := range importRe.FindAllStringSubmatch(src, -1) {
			target := path.Join(path.Dir(p), m[2])
			exports, ok := files[target]
			if !ok {
				t.Errorf("%s imports %s, which is not embedded", p, target)
				continue
			}
			have := map[string]bool{}
			for _, e := range exportRe.FindAllStringSubmatch(exports, -1) {
				have[e[1]] = true
			}
			for _, name := range strings.Split(m[1], ",") {
				if name = strings.TrimSpace(name); name != "" && !have[name] {
					t.Errorf("%s imports %s from %s, which does not export it", p, name, target)
				}
			}
		}
	}
	for _, m := range moduleRe.FindAllStringSubmatch(files["app.js"], -1) {
		if _, ok := files[path.Clean(m[1])]; !ok {
			t.Errorf("route module %s is not embedded", m[1])
		}
	}
}

func TestHandlerServesThePagesAndNothingElse(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	for p, want := range map[string]int{"/": 200, "/activate": 200, "/assets/app.js": 200, "/assets/vendor/echarts.min.js": 200,
		"/assets/": 404, "/assets/../console.go": 404, "/elsewhere": 404} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", p, res.StatusCode, want)
		}
		if want == 200 && !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s has no content security policy", p)
		}
		if p == "/" && !strings.Contains(string(body), `lang="zh-CN"`) {
			t.Errorf("/ is not the console: %.80s", body)
		}
	}
}

// Nothing is loaded from elsewhere: no http(s) URL in a page or style.
func TestNothingLoadedFromTheInternet(t *testing.T) {
	t.Parallel()
	src := regexp.MustCompile(`(?i)(src|href)=["']?https?:|url\(\s*["']?https?:|@import|fetch\(\s*['"]https?:`)
	_ = fs.WalkDir(Assets(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "vendor/") {
			return nil
		}
		b, _ := fs.ReadFile(Assets(), p)
		if m := src.Find(b); m != nil {
			t.Errorf("%s loads %q from elsewhere", p, m)
		}
		return nil
	})
}
