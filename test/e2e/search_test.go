package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// A search finds what people mean: a word's synonyms, one character of a
// word, and a project's own synonyms once its file is written.
func TestSearchFindsSynonymsAndSingleCharacters(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, b *harness.Butler) {
		butler := b.Token("butler", "b-001", "p1", "d1")
		sup := b.Token("supervisor", "s-001", "p1", "")
		seep := registerComplaint(t, b, butler, "阳台顶部渗水，雨天更明显") // category 漏水
		b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, map[string]any{"unit": "3-2-501", "owner": "王秀英",
			"phone": "13812345678", "category": "照明", "description": "楼道灯不亮", "soothing": "已安抚"})
		wet := b.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, map[string]any{"unit": "3-2-502", "owner": "王秀英",
			"phone": "13812345678", "category": "漏水", "description": "卫生间天花板潮湿", "soothing": "已安抚"}).JSON["id"]
		finds := func(q string, want int) {
			t.Helper()
			b.WaitFor("/api/v1/complaints?q="+q, sup, func(m map[string]any) error {
				if n := int(m["total"].(float64)); n != want {
					return fmt.Errorf("q=%s finds %d, want %d", q, n, want)
				}
				if want == 1 && m["items"].([]any)[0].(map[string]any)["id"] != seep {
					return fmt.Errorf("q=%s finds another complaint", q)
				}
				return nil
			})
		}
		// 渗水 is one of 漏水's synonyms, and 漏水 the other's category.
		all := b.WaitFor("/api/v1/complaints?q=漏水", sup, func(m map[string]any) error {
			if n := int(m["total"].(float64)); n != 2 {
				return fmt.Errorf("q=漏水 finds %d, want the 渗水 complaint and the one in the 漏水 category", n)
			}
			return nil
		})
		for _, it := range all["items"].([]any) {
			if id := it.(map[string]any)["id"]; id != seep && id != wet {
				t.Fatalf("q=漏水 found %v", id)
			}
		}
		finds("渗", 1) // one character of 渗水
		finds("返潮", 0)
		if err := os.MkdirAll(filepath.Join(b.Dir, "synonyms"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(b.Dir, "synonyms", "p1.txt"), []byte("渗水 返潮\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2100 * time.Millisecond) // the file is looked at again every 2 s
		finds("返潮", 1)
	})
}
