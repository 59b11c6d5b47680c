// Package searchtest is the contract suite for projections.SearchStore: every
// adapter (embedded bleve, Elasticsearch) runs it, so read models behave the
// same whichever store is configured.
package searchtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// visibleWithin is how long the suite waits for a write to become searchable.
// The contract promises 1 s (Elasticsearch's refresh interval); the margin
// absorbs a slow CI machine.
const visibleWithin = 2 * time.Second

// Run runs the contract suite. open returns a store for one subtest; it must
// register its own cleanup with t.Cleanup. Every subtest uses its own index
// name, so open may return the same shared store (e.g. one Elasticsearch
// node) each time.
func Run(t *testing.T, open func(t *testing.T) projections.SearchStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s projections.SearchStore)
	}{
		{"EnsureIndexIsIdempotent", testEnsureIndexIdempotent},
		{"WriteThenGetRoundTrips", testWriteGet},
		{"GetMissingIsNotFound", testGetMissing},
		{"OlderOrEqualVersionIsSkipped", testVersionedWrites},
		{"HighestVersionInOneBatchWins", testVersionsWithinBatch},
		{"CheckpointIsWrittenWithDocuments", testCheckpoint},
		{"WritesBecomeSearchable", testVisibility},
		{"ChineseFullText", testChineseText},
		{"MixedChineseEnglishText", testMixedText},
		{"TextRequiresAllWords", testTextAllWords},
		{"SynonymsAndSingleCharacters", testSynonymsAndSingleCharacters},
		{"LabelsAreExactAndSearchable", testLabels},
		{"TermFilters", testTerms},
		{"BoolFilters", testBool},
		{"DateRanges", testDateRanges},
		{"NumberRanges", testNumberRanges},
		{"KeywordRanges", testKeywordRanges},
		{"SortByKeywordDateNumber", testSort},
		{"DefaultOrderIsByID", testDefaultOrder},
		{"SizeAndFromPaging", testOffsetPaging},
		{"AfterCursorVisitsEveryDocOnce", testCursorPaging},
		{"AfterCursorWithSortAndTies", testCursorPagingSorted},
		{"AfterCursorWithText", testCursorPagingText},
		{"ForeignCursorIsInvalid", testInvalidCursor},
		{"FacetsCountAllMatches", testFacets},
	}
	// Reading many documents at once is an optional capability (remote
	// stores have it): a store that offers it is held to it.
	if _, ok := open(t).(projections.ManyGetter); ok {
		tests = append(tests, struct {
			name string
			fn   func(t *testing.T, s projections.SearchStore)
		}{"GetManyReadsWhatExists", testGetMany})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// Fields of the suite's test index: a complaint-like read model.
var fields = map[string]projections.FieldKind{
	"title":       projections.Text,
	"description": projections.Text,
	"status":      projections.Keyword,
	"district":    projections.Keyword,
	"tags":        projections.Keyword,
	"urgent":      projections.Bool,
	"createdAt":   projections.Date,
	"floor":       projections.Number,
	"category":    projections.Label,
}

type rec struct {
	Title       string    `json:"title,omitempty"`
	Description string    `json:"description,omitempty"`
	Status      string    `json:"status,omitempty"`
	District    string    `json:"district,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Urgent      *bool     `json:"urgent,omitempty"`
	CreatedAt   time.Time `json:"createdAt,omitzero"`
	Floor       *float64  `json:"floor,omitempty"`
	Category    string    `json:"category,omitempty"`
	// Note is stored but not indexed: it is not in the schema.
	Note string `json:"note,omitempty"`
}

func ptr[T any](v T) *T { return &v }

func doc(t *testing.T, id string, version uint64, r rec) projections.Document {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return projections.Document{ID: id, Version: version, Source: b}
}

// newIndex creates a fresh index with a random suffix, so parallel subtests
// and repeated runs against a shared engine never see each other's data.
func newIndex(t *testing.T, s projections.SearchStore) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "searchtest-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")) + "-" + hex.EncodeToString(b[:])
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, name)
	if err := s.EnsureIndex(t.Context(), projections.Schema{Name: name, Fields: fields}); err != nil {
		t.Fatalf("EnsureIndex(%q): %v", name, err)
	}
	return name
}

func write(t *testing.T, s projections.SearchStore, index string, cp event.Position, docs ...projections.Document) {
	t.Helper()
	if err := s.Write(t.Context(), index, docs, cp); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// waitTotal polls until a match-all search counts n documents: after it,
// every earlier write is searchable.
func waitTotal(t *testing.T, s projections.SearchStore, index string, n int) {
	t.Helper()
	waitFor(t, s, index, projections.Query{}, func(r projections.Result) bool { return r.Total == n })
}

// waitFor polls q until ok holds (or the visibility deadline passes, which
// fails the test) and returns the last result.
func waitFor(t *testing.T, s projections.SearchStore, index string, q projections.Query, ok func(projections.Result) bool) projections.Result {
	t.Helper()
	deadline := time.Now().Add(visibleWithin)
	for {
		r, err := s.Search(t.Context(), index, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		if ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("Search(%+v) did not reach the expected state within %s; last result: total %d, ids %v", q, visibleWithin, r.Total, ids(r))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func search(t *testing.T, s projections.SearchStore, index string, q projections.Query) projections.Result {
	t.Helper()
	r, err := s.Search(t.Context(), index, q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return r
}

func ids(r projections.Result) []string {
	out := make([]string, 0, len(r.Hits))
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func sameJSON(t *testing.T, got, want json.RawMessage) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stored source is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}

// expectIDs asserts the hits' ids in order.
func expectIDs(t *testing.T, what string, r projections.Result, want ...string) {
	t.Helper()
	if got := ids(r); !slices.Equal(got, want) {
		t.Errorf("%s: ids = %v, want %v", what, got, want)
	}
}

// expectSet asserts the hits' ids regardless of order and that Total agrees.
func expectSet(t *testing.T, what string, r projections.Result, want ...string) {
	t.Helper()
	got := ids(r)
	sort.Strings(got)
	w := slices.Clone(want)
	sort.Strings(w)
	if !slices.Equal(got, w) {
		t.Errorf("%s: ids = %v, want %v", what, got, w)
	}
	if r.Total != len(want) {
		t.Errorf("%s: Total = %d, want %d", what, r.Total, len(want))
	}
}

func testEnsureIndexIdempotent(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	index := newIndex(t, s)
	d := doc(t, "c1", 1, rec{Title: "电梯故障", Status: "open"})
	write(t, s, index, 3, d)
	for range 2 {
		if err := s.EnsureIndex(ctx, projections.Schema{Name: index, Fields: fields}); err != nil {
			t.Fatalf("EnsureIndex on an existing index: %v", err)
		}
	}
	got, err := s.Get(ctx, index, "c1")
	if err != nil {
		t.Fatalf("Get after repeated EnsureIndex: %v", err)
	}
	if got.Version != 1 {
		t.Errorf("Version = %d, want 1", got.Version)
	}
	cp, err := s.Checkpoint(ctx, index)
	if err != nil || cp != 3 {
		t.Errorf("Checkpoint after repeated EnsureIndex = %d, %v; want 3", cp, err)
	}
	r := waitFor(t, s, index, projections.Query{Text: "电梯"}, func(r projections.Result) bool { return r.Total == 1 })
	expectIDs(t, "text search after repeated EnsureIndex", r, "c1")
}

func testWriteGet(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	index := newIndex(t, s)
	created := time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)
	d := doc(t, "complaint-1", 7, rec{
		Title: "楼上漏水", Description: "业主反映楼上卫生间漏水", Status: "open", District: "d1",
		Tags: []string{"水电", "紧急"}, Urgent: ptr(true), CreatedAt: created, Floor: ptr(12.0),
		Note: "not indexed, still stored: 备注",
	})
	write(t, s, index, 1, d)
	got, err := s.Get(ctx, index, "complaint-1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.ID != "complaint-1" || got.Version != 7 {
		t.Errorf("Get = id %q version %d, want complaint-1 version 7", got.ID, got.Version)
	}
	if !sameJSON(t, got.Source, d.Source) {
		t.Errorf("Source = %s, want %s", got.Source, d.Source)
	}

	r := waitFor(t, s, index, projections.Query{}, func(r projections.Result) bool { return r.Total == 1 })
	if len(r.Hits) != 1 || r.Hits[0].Version != 7 || !sameJSON(t, r.Hits[0].Source, d.Source) {
		t.Errorf("search hit = %+v, want the written document with version 7", r.Hits)
	}
}

func testGetMissing(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	index := newIndex(t, s)
	write(t, s, index, 1, doc(t, "present", 1, rec{Status: "open"}))
	if _, err := s.Get(ctx, index, "absent"); !errors.Is(err, projections.ErrNotFound) {
		t.Errorf("Get(missing doc) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Get(ctx, index+"-nosuchindex", "present"); !errors.Is(err, projections.ErrNotFound) {
		t.Errorf("Get(missing index) error = %v, want ErrNotFound", err)
	}
}

func testGetMany(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	mg := s.(projections.ManyGetter)
	index := newIndex(t, s)
	a := doc(t, "a", 3, rec{Title: "甲", Status: "open"})
	b := doc(t, "b", 5, rec{Title: "乙", Status: "closed"})
	write(t, s, index, 1, a, b)
	got, err := mg.GetMany(ctx, index, []string{"a", "absent", "b"})
	if err != nil {
		t.Fatalf("GetMany: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("GetMany returned %d documents, want 2 (a and b; absent left out): %v", len(got), got)
	}
	for _, want := range []projections.Document{a, b} {
		d, ok := got[want.ID]
		if !ok || d.ID != want.ID || d.Version != want.Version || !sameJSON(t, d.Source, want.Source) {
			t.Errorf("GetMany[%s] = %+v (present %v), want version %d and the written source", want.ID, d, ok, want.Version)
		}
	}
	if got, err := mg.GetMany(ctx, index+"-nosuchindex", []string{"a"}); err != nil || len(got) != 0 {
		t.Errorf("GetMany(missing index) = %v, %v; want nothing and no error", got, err)
	}
}

func testVersionedWrites(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	index := newIndex(t, s)
	v5 := doc(t, "c1", 5, rec{Title: "电梯故障", Status: "assigned"})
	write(t, s, index, 10, v5)

	get := func() projections.Document {
		t.Helper()
		d, err := s.Get(ctx, index, "c1")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		return d
	}
	// A replay of older events must never regress the document.
	write(t, s, index, 11, doc(t, "c1", 4, rec{Title: "旧的标题", Status: "open"}))
	if d := get(); d.Version != 5 || !sameJSON(t, d.Source, v5.Source) {
		t.Errorf("after an older version: %d %s, want version 5 unchanged", d.Version, d.Source)
	}
	write(t, s, index, 12, doc(t, "c1", 5, rec{Title: "同版本不同内容", Status: "closed"}))
	if d := get(); d.Version != 5 || !sameJSON(t, d.Source, v5.Source) {
		t.Errorf("after an equal version: %d %s, want version 5 unchanged", d.Version, d.Source)
	}
	v6 := doc(t, "c1", 6, rec{Title: "电梯已修复", Status: "resolved"})
	write(t, s, index, 13, v6)
	if d := get(); d.Version != 6 || !sameJSON(t, d.Source, v6.Source) {
		t.Errorf("after a newer version: %d %s, want version 6 %s", d.Version, d.Source, v6.Source)
	}
	// The search index follows the document: the old status no longer matches.
	r := waitFor(t, s, index, projections.Query{Terms: map[string][]string{"status": {"resolved"}}},
		func(r projections.Result) bool { return r.Total == 1 })
	expectIDs(t, "status after replacement", r, "c1")
	r = search(t, s, index, projections.Query{Terms: map[string][]string{"status": {"assigned", "open", "closed"}}})
	expectSet(t, "old statuses after replacement", r)
	r = search(t, s, index, projections.Query{Text: "故障"})
	expectSet(t, "old text after replacement", r)
}

func testVersionsWithinBatch(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	index := newIndex(t, s)
	a3 := doc(t, "a", 3, rec{Status: "a3"})
	b9 := doc(t, "b", 9, rec{Status: "b9"})
	write(t, s, index, 5,
		doc(t, "a", 2, rec{Status: "a2"}), a3, doc(t, "a", 1, rec{Status: "a1"}),
		b9, doc(t, "b", 8, rec{Status: "b8"}),
	)
	for _, want := range []projections.Document{a3, b9} {
		got, err := s.Get(ctx, index, want.ID)
		if err != nil {
			t.Fatalf("Get(%s): %v", want.ID, err)
		}
		if got.Version != want.Version || !sameJSON(t, got.Source, want.Source) {
			t.Errorf("Get(%s) = version %d %s, want version %d %s", want.ID, got.Version, got.Source, want.Version, want.Source)
		}
	}
}

func testCheckpoint(t *testing.T, s projections.SearchStore) {
	ctx := t.Context()
	index := newIndex(t, s)
	cp, err := s.Checkpoint(ctx, index)
	if err != nil || cp != 0 {
		t.Fatalf("Checkpoint of a new index = %d, %v; want 0, nil", cp, err)
	}
	write(t, s, index, 42, doc(t, "c1", 1, rec{Status: "open"}))
	if cp, err = s.Checkpoint(ctx, index); err != nil || cp != 42 {
		t.Errorf("Checkpoint = %d, %v; want 42", cp, err)
	}
	// Events that touch no document of this read model still advance it.
	write(t, s, index, 50)
	if cp, err = s.Checkpoint(ctx, index); err != nil || cp != 50 {
		t.Errorf("Checkpoint after a write without documents = %d, %v; want 50", cp, err)
	}
	// So does a replayed (stale) document.
	write(t, s, index, 61, doc(t, "c1", 1, rec{Status: "stale"}))
	if cp, err = s.Checkpoint(ctx, index); err != nil || cp != 61 {
		t.Errorf("Checkpoint after a stale document = %d, %v; want 61", cp, err)
	}
	big := event.Position(1<<63 + 12345)
	write(t, s, index, big)
	if cp, err = s.Checkpoint(ctx, index); err != nil || cp != big {
		t.Errorf("Checkpoint = %d, %v; want %d", cp, err, big)
	}
}

func testVisibility(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	start := time.Now()
	write(t, s, index, 1, doc(t, "c1", 1, rec{Description: "地下车库积水"}))
	waitFor(t, s, index, projections.Query{Text: "积水"}, func(r projections.Result) bool { return r.Total == 1 })
	// The contract says 1 s; the poll allows some scheduling slack.
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("write became searchable after %s, want within about 1s", d)
	}
}

func testChineseText(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 3,
		doc(t, "leak", 1, rec{Title: "漏水投诉", Description: "业主反映楼上卫生间漏水，天花板渗水严重"}),
		doc(t, "noise", 1, rec{Title: "噪音扰民", Description: "隔壁装修噪音很大，晚上十点以后还在施工"}),
		doc(t, "drain", 1, rec{Title: "厨房下水道堵塞", Description: "请尽快派维修人员上门"}),
	)
	waitTotal(t, s, index, 3)
	for _, word := range []string{"漏水", "渗水", "天花", "卫生", "业主", "严重", "楼上"} {
		expectSet(t, "query "+word, search(t, s, index, projections.Query{Text: word}), "leak")
	}
	for _, word := range []string{"漏电", "停水", "水天", "电梯"} {
		expectSet(t, "query "+word+" (not in any document)", search(t, s, index, projections.Query{Text: word}))
	}
	// Every Text field is searched: a word only in the title finds it.
	expectSet(t, "title-only word 投诉", search(t, s, index, projections.Query{Text: "投诉"}), "leak")
	expectSet(t, "title-only word 下水", search(t, s, index, projections.Query{Text: "下水"}), "drain")
	expectSet(t, "description word 施工", search(t, s, index, projections.Query{Text: "施工"}), "noise")
	// A longer phrase is found too.
	expectSet(t, "phrase 天花板渗水", search(t, s, index, projections.Query{Text: "天花板渗水"}), "leak")
}

func testMixedText(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 2,
		doc(t, "lift", 1, rec{Title: "3号楼电梯故障", Description: "Elevator stuck between floors, 电梯门无法打开"}),
		doc(t, "wifi", 1, rec{Title: "WiFi信号差", Description: "会所的 wireless network 经常断线"}),
	)
	waitTotal(t, s, index, 2)
	expectSet(t, "english word, other case", search(t, s, index, projections.Query{Text: "elevator"}), "lift")
	expectSet(t, "english word", search(t, s, index, projections.Query{Text: "network"}), "wifi")
	expectSet(t, "mixed query", search(t, s, index, projections.Query{Text: "电梯 stuck"}), "lift")
	expectSet(t, "latin inside chinese", search(t, s, index, projections.Query{Text: "wifi"}), "wifi")
	expectSet(t, "chinese word", search(t, s, index, projections.Query{Text: "断线"}), "wifi")
	expectSet(t, "absent english word", search(t, s, index, projections.Query{Text: "plumbing"}))
}

func testTextAllWords(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 2,
		doc(t, "leak", 1, rec{Description: "业主反映楼上卫生间漏水，天花板渗水严重"}),
		doc(t, "lift", 1, rec{Description: "电梯停运，老人无法上楼"}),
	)
	waitTotal(t, s, index, 2)
	expectSet(t, "two words in one document", search(t, s, index, projections.Query{Text: "漏水 天花"}), "leak")
	expectSet(t, "words from two documents", search(t, s, index, projections.Query{Text: "漏水 电梯"}))
}

// A word finds what its synonyms find; one Chinese character finds every
// word containing it, wherever it stands in the word.
func testSynonymsAndSingleCharacters(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 4,
		doc(t, "leak", 1, rec{Description: "卫生间漏水"}),
		doc(t, "seep", 1, rec{Description: "楼上渗水到天花板"}),
		doc(t, "noise", 1, rec{Description: "晚上噪声扰民"}),
		doc(t, "lift", 1, rec{Description: "电梯困人"}),
	)
	waitTotal(t, s, index, 4)
	syn := map[string][]string{"漏水": {"渗水", "漏雨"}, "噪音": {"噪声", "扰民"}}
	q := func(text string) projections.Result {
		return search(t, s, index, projections.Query{Text: text, Synonyms: syn})
	}
	expectSet(t, "漏水 with its synonyms", q("漏水"), "leak", "seep")
	expectSet(t, "噪音, found only through a synonym", q("噪音"), "noise")
	expectSet(t, "without synonyms", search(t, s, index, projections.Query{Text: "漏水"}), "leak")
	expectSet(t, "every word, each with its synonyms", q("漏水 天花"), "seep")
	expectSet(t, "one character, first in a word", q("漏"), "leak")
	expectSet(t, "one character, second in a word", q("梯"), "lift")
	expectSet(t, "one character and a word", q("水 楼上"), "seep")
	expectSet(t, "a character in no document", q("猫"))
}

// A Label (a category) filters and facets by its exact value, and its
// words are found by full text like the record's own text.
func testLabels(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 3,
		doc(t, "a", 1, rec{Category: "漏水", Description: "阳台顶部潮湿"}),
		doc(t, "b", 1, rec{Category: "噪音", Description: "楼上漏水了"}),
		doc(t, "c", 1, rec{Category: "电梯故障", Description: "三号楼"}),
	)
	waitTotal(t, s, index, 3)
	expectSet(t, "the label's word", search(t, s, index, projections.Query{Text: "漏水"}), "a", "b")
	expectSet(t, "a word inside a label", search(t, s, index, projections.Query{Text: "故障"}), "c")
	expectSet(t, "the exact label", search(t, s, index, projections.Query{Terms: map[string][]string{"category": {"漏水"}}}), "a")
	expectSet(t, "a part of a label is not the label", search(t, s, index, projections.Query{Terms: map[string][]string{"category": {"故障"}}}))
	res := search(t, s, index, projections.Query{Facets: []string{"category"}})
	if len(res.Facets["category"]) != 3 {
		t.Errorf("facets on a label: %+v", res.Facets)
	}
}

func termsDocs(t *testing.T) []projections.Document {
	return []projections.Document{
		doc(t, "c1", 1, rec{Status: "open", District: "d1", Tags: []string{"water", "urgent-repair"}}),
		doc(t, "c2", 1, rec{Status: "assigned", District: "d1", Tags: []string{"noise"}}),
		doc(t, "c3", 1, rec{Status: "open", District: "d2", Tags: []string{"water"}}),
		doc(t, "c4", 1, rec{Status: "closed", District: "d2"}),
		doc(t, "c5", 1, rec{Status: "Open", District: "d1"}),
	}
}

func testTerms(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 5, termsDocs(t)...)
	waitTotal(t, s, index, 5)
	q := func(terms map[string][]string) projections.Result {
		return search(t, s, index, projections.Query{Terms: terms})
	}
	expectSet(t, "one value", q(map[string][]string{"status": {"open"}}), "c1", "c3")
	expectSet(t, "OR within a field", q(map[string][]string{"status": {"open", "assigned"}}), "c1", "c2", "c3")
	expectSet(t, "AND across fields", q(map[string][]string{"status": {"open", "assigned"}, "district": {"d1"}}), "c1", "c2")
	expectSet(t, "array field element", q(map[string][]string{"tags": {"water"}}), "c1", "c3")
	expectSet(t, "array field whole value only", q(map[string][]string{"tags": {"urgent"}}))
	expectSet(t, "keywords are exact", q(map[string][]string{"status": {"Open"}}), "c5")
	expectSet(t, "no match", q(map[string][]string{"district": {"d9"}}))
	// Filters combine with full text.
	write(t, s, index, 6, doc(t, "c6", 1, rec{Status: "open", District: "d3", Description: "楼道灯不亮"}),
		doc(t, "c7", 1, rec{Status: "closed", District: "d3", Description: "楼道灯已修好"}))
	waitTotal(t, s, index, 7)
	r := search(t, s, index, projections.Query{Text: "楼道", Terms: map[string][]string{"status": {"open"}}})
	expectSet(t, "text and term", r, "c6")
}

func testBool(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 3,
		doc(t, "u1", 1, rec{Urgent: ptr(true)}),
		doc(t, "u2", 1, rec{Urgent: ptr(false)}),
		doc(t, "u3", 1, rec{Urgent: ptr(true)}),
		doc(t, "u4", 1, rec{}),
	)
	waitTotal(t, s, index, 4)
	expectSet(t, "true", search(t, s, index, projections.Query{Terms: map[string][]string{"urgent": {"true"}}}), "u1", "u3")
	expectSet(t, "false", search(t, s, index, projections.Query{Terms: map[string][]string{"urgent": {"false"}}}), "u2")
	expectSet(t, "either", search(t, s, index, projections.Query{Terms: map[string][]string{"urgent": {"true", "false"}}}), "u1", "u2", "u3")
}

func testDateRanges(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	base := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	// d0..d4 one day apart; d5 has no date at all.
	var docs []projections.Document
	for i := range 5 {
		docs = append(docs, doc(t, fmt.Sprintf("d%d", i), 1, rec{CreatedAt: base.AddDate(0, 0, i)}))
	}
	docs = append(docs, doc(t, "d5", 1, rec{Status: "undated"}))
	write(t, s, index, 6, docs...)
	waitTotal(t, s, index, 6)
	q := func(r projections.Range) projections.Result {
		return search(t, s, index, projections.Query{Ranges: []projections.Range{r}})
	}
	expectSet(t, "min inclusive, max exclusive",
		q(projections.Range{Field: "createdAt", Min: base.AddDate(0, 0, 1), Max: base.AddDate(0, 0, 3)}), "d1", "d2")
	expectSet(t, "open max",
		q(projections.Range{Field: "createdAt", Min: base.AddDate(0, 0, 3)}), "d3", "d4")
	expectSet(t, "open min",
		q(projections.Range{Field: "createdAt", Max: base.AddDate(0, 0, 1)}), "d0")
	expectSet(t, "one nanosecond past the min",
		q(projections.Range{Field: "createdAt", Min: base.AddDate(0, 0, 1).Add(time.Nanosecond), Max: base.AddDate(0, 0, 3)}), "d2")
	// Bounds in another zone mean the same instants.
	shanghai := time.FixedZone("CST", 8*3600)
	expectSet(t, "bounds in +08:00",
		q(projections.TimeRange("createdAt", base.AddDate(0, 0, 1).In(shanghai), base.AddDate(0, 0, 2).In(shanghai))), "d1")
	expectSet(t, "TimeRange with open end",
		q(projections.TimeRange("createdAt", base.AddDate(0, 0, 4), time.Time{})), "d4")
}

func testNumberRanges(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	var docs []projections.Document
	for i, f := range []float64{-2, 0, 1.5, 3, 10, 32} {
		docs = append(docs, doc(t, fmt.Sprintf("n%d", i), 1, rec{Floor: ptr(f)}))
	}
	write(t, s, index, 6, docs...)
	waitTotal(t, s, index, 6)
	q := func(r ...projections.Range) projections.Result {
		return search(t, s, index, projections.Query{Ranges: r})
	}
	expectSet(t, "min inclusive, max exclusive", q(projections.Range{Field: "floor", Min: 1.5, Max: 10.0}), "n2", "n3")
	expectSet(t, "negative and zero", q(projections.Range{Field: "floor", Max: 1.5}), "n0", "n1")
	expectSet(t, "open max", q(projections.Range{Field: "floor", Min: 10.0}), "n4", "n5")
	expectSet(t, "two ranges on one field AND", q(
		projections.Range{Field: "floor", Min: 0.0},
		projections.Range{Field: "floor", Max: 3.0}), "n1", "n2")
}

// Fixed-width keywords (zero-padded numbers, UTC times) range as they read.
func testKeywordRanges(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	var docs []projections.Document
	for i, v := range []string{"0000000001", "0000000009", "0000000010", "0000000100", "2026-11-29T01:00:00.000000000Z"} {
		docs = append(docs, doc(t, fmt.Sprintf("k%d", i), 1, rec{Status: v}))
	}
	write(t, s, index, 5, docs...)
	waitTotal(t, s, index, 5)
	q := func(r ...projections.Range) projections.Result {
		return search(t, s, index, projections.Query{Ranges: r})
	}
	expectSet(t, "min inclusive, max exclusive", q(projections.Range{Field: "status", Min: "0000000009", Max: "0000000100"}), "k1", "k2")
	expectSet(t, "after a value", q(projections.Range{Field: "status", Min: "0000000009\x00", Max: "1"}), "k2", "k3")
	expectSet(t, "open max", q(projections.Range{Field: "status", Min: "2026-11-29"}), "k4")
	expectSet(t, "open min", q(projections.Range{Field: "status", Max: "0000000009"}), "k0")
}

func sortDocs(t *testing.T) []projections.Document {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id, status string, day int, floor float64) projections.Document {
		return doc(t, id, 1, rec{Status: status, CreatedAt: base.AddDate(0, 0, day), Floor: ptr(floor)})
	}
	return []projections.Document{
		mk("e", "b-open", 3, 5),
		mk("a", "c-closed", 1, 20),
		mk("d", "a-new", 2, 5),
		mk("b", "b-open", 3, -1),
		mk("c", "a-new", 5, 100),
	}
}

func testSort(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 5, sortDocs(t)...)
	waitTotal(t, s, index, 5)
	cases := []struct {
		sort []projections.Sort
		want []string
	}{
		// Ties (b-open: b,e; a-new: c,d; day 3: b,e; floor 5: d,e) break by id.
		{[]projections.Sort{{Field: "status"}}, []string{"c", "d", "b", "e", "a"}},
		{[]projections.Sort{{Field: "status", Desc: true}}, []string{"a", "b", "e", "c", "d"}},
		{[]projections.Sort{{Field: "createdAt"}}, []string{"a", "d", "b", "e", "c"}},
		{[]projections.Sort{{Field: "createdAt", Desc: true}}, []string{"c", "b", "e", "d", "a"}},
		{[]projections.Sort{{Field: "floor"}}, []string{"b", "d", "e", "a", "c"}},
		{[]projections.Sort{{Field: "floor", Desc: true}}, []string{"c", "a", "d", "e", "b"}},
		{[]projections.Sort{{Field: "status"}, {Field: "floor", Desc: true}}, []string{"c", "d", "e", "b", "a"}},
	}
	for _, c := range cases {
		r := search(t, s, index, projections.Query{Sort: c.sort})
		expectIDs(t, fmt.Sprintf("sort %+v", c.sort), r, c.want...)
	}
}

func testDefaultOrder(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 4,
		doc(t, "k-3", 1, rec{Status: "x"}), doc(t, "k-1", 1, rec{Status: "x"}),
		doc(t, "k-4", 1, rec{Status: "x"}), doc(t, "k-2", 1, rec{Status: "x"}))
	waitTotal(t, s, index, 4)
	expectIDs(t, "no sort, no text", search(t, s, index, projections.Query{}), "k-1", "k-2", "k-3", "k-4")
}

func numbered(t *testing.T, n int, r func(i int) rec) []projections.Document {
	docs := make([]projections.Document, n)
	for i := range n {
		docs[i] = doc(t, fmt.Sprintf("doc-%03d", i), 1, r(i))
	}
	return docs
}

func testOffsetPaging(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 25, numbered(t, 25, func(i int) rec { return rec{Status: "open"} })...)
	waitTotal(t, s, index, 25)

	r := search(t, s, index, projections.Query{})
	if len(r.Hits) != 20 || r.Total != 25 {
		t.Errorf("default page: %d hits, total %d; want 20 hits, total 25", len(r.Hits), r.Total)
	}
	r = search(t, s, index, projections.Query{Size: 10, From: 10})
	expectIDs(t, "size 10 from 10", r, "doc-010", "doc-011", "doc-012", "doc-013", "doc-014",
		"doc-015", "doc-016", "doc-017", "doc-018", "doc-019")
	if r.Total != 25 {
		t.Errorf("Total = %d, want 25 (all matches, not the page)", r.Total)
	}
	r = search(t, s, index, projections.Query{Size: 10, From: 20})
	expectIDs(t, "last partial page", r, "doc-020", "doc-021", "doc-022", "doc-023", "doc-024")
	r = search(t, s, index, projections.Query{Size: 10, From: 30})
	expectIDs(t, "past the end", r)
	if r.Total != 25 {
		t.Errorf("Total past the end = %d, want 25", r.Total)
	}
}

// walk pages through q with After until an empty page and returns every hit
// id in order.
func walk(t *testing.T, s projections.SearchStore, index string, q projections.Query, total int) []string {
	t.Helper()
	var seen []string
	for page := 0; ; page++ {
		if page > total+2 {
			t.Fatalf("cursor paging did not end after %d pages", page)
		}
		r := search(t, s, index, q)
		if r.Total != total {
			t.Errorf("page %d: Total = %d, want %d", page, r.Total, total)
		}
		if len(r.Hits) == 0 {
			if r.Cursor != "" {
				t.Errorf("empty page has cursor %q, want empty", r.Cursor)
			}
			return seen
		}
		if len(r.Hits) > q.Size {
			t.Fatalf("page %d has %d hits, size %d", page, len(r.Hits), q.Size)
		}
		if r.Cursor == "" {
			t.Fatalf("page %d with %d hits has no cursor", page, len(r.Hits))
		}
		seen = append(seen, ids(r)...)
		q.After = r.Cursor
	}
}

// A cursor the store did not hand out, or one from another sort, is the
// caller's mistake (ErrInvalidCursor), never a fault of the store.
func testInvalidCursor(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	write(t, s, index, 3, numbered(t, 3, func(i int) rec { return rec{Status: "open"} })...)
	waitTotal(t, s, index, 3)
	first := search(t, s, index, projections.Query{Size: 1})
	for name, q := range map[string]projections.Query{
		"garbage":      {Size: 1, After: "garbage!"},
		"not JSON":     {Size: 1, After: "bm90LWpzb24"},
		"another sort": {Size: 1, After: first.Cursor, Sort: []projections.Sort{{Field: "status"}}},
	} {
		if _, err := s.Search(t.Context(), index, q); !errors.Is(err, projections.ErrInvalidCursor) {
			t.Errorf("%s cursor: %v, want ErrInvalidCursor", name, err)
		}
	}
}

func testCursorPaging(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	const n = 23
	write(t, s, index, n, numbered(t, n, func(i int) rec { return rec{Status: "open"} })...)
	waitTotal(t, s, index, n)
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("doc-%03d", i))
	}
	got := walk(t, s, index, projections.Query{Size: 5}, n)
	if !slices.Equal(got, want) {
		t.Errorf("cursor paging visited %v, want %v", got, want)
	}
}

func testCursorPagingSorted(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	const n = 17
	base := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	// Few distinct values, so pages split runs of ties; doc-016 lacks the fields.
	docs := numbered(t, n, func(i int) rec {
		if i == n-1 {
			return rec{Status: "no-fields"}
		}
		return rec{Floor: ptr(float64(i % 3)), CreatedAt: base.AddDate(0, 0, i%4), Status: []string{"b", "a"}[i%2]}
	})
	write(t, s, index, n, docs...)
	waitTotal(t, s, index, n)

	for _, sorts := range [][]projections.Sort{
		{{Field: "floor", Desc: true}},
		{{Field: "createdAt"}},
		{{Field: "status"}, {Field: "createdAt", Desc: true}},
	} {
		full := search(t, s, index, projections.Query{Sort: sorts, Size: 100})
		if len(full.Hits) != n {
			t.Fatalf("sort %+v: %d hits, want %d", sorts, len(full.Hits), n)
		}
		want := ids(full)
		got := walk(t, s, index, projections.Query{Sort: sorts, Size: 4}, n)
		if !slices.Equal(got, want) {
			t.Errorf("sort %+v: cursor paging visited %v, want %v", sorts, got, want)
		}
	}
	// Spot-check the sorted order itself: floor desc, ties by id, missing last.
	full := search(t, s, index, projections.Query{Sort: []projections.Sort{{Field: "floor", Desc: true}}, Size: 100})
	got := ids(full)
	if got[0] != "doc-002" || got[1] != "doc-005" || got[n-1] != "doc-016" {
		t.Errorf("floor desc order = %v, want doc-002, doc-005 first and doc-016 (no floor) last", got)
	}
}

func testCursorPagingText(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	const n = 14
	// Different lengths give different relevance scores.
	docs := numbered(t, n, func(i int) rec {
		return rec{Description: "水管漏水" + strings.Repeat("，请尽快处理", i%5)}
	})
	docs = append(docs, doc(t, "other", 1, rec{Description: "门禁卡失效"}))
	write(t, s, index, 1, docs...)
	waitTotal(t, s, index, n+1)
	got := walk(t, s, index, projections.Query{Text: "漏水", Size: 3}, n)
	slices.Sort(got)
	var want []string
	for _, d := range docs[:n] {
		want = append(want, d.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("cursor paging by relevance visited %v, want each of %v once", got, want)
	}
}

func testFacets(t *testing.T, s projections.SearchStore) {
	index := newIndex(t, s)
	var docs []projections.Document
	// 30 matching docs (description 维修) across districts and tags, and 5
	// that do not match the query but would change the counts if counted.
	for i := range 30 {
		r := rec{
			Description: "请安排维修",
			District:    []string{"d1", "d2", "d3"}[i%3],
			Status:      []string{"open", "closed"}[i%5/4],
			Urgent:      ptr(i%10 == 0),
		}
		if i%2 == 0 {
			r.Tags = []string{"water", "electric"}
		} else {
			r.Tags = []string{"water"}
		}
		docs = append(docs, doc(t, fmt.Sprintf("m%02d", i), 1, r))
	}
	for i := range 5 {
		docs = append(docs, doc(t, fmt.Sprintf("x%02d", i), 1, rec{Description: "表扬保安", District: "d4", Status: "open", Tags: []string{"praise"}}))
	}
	write(t, s, index, 35, docs...)
	waitTotal(t, s, index, 35)

	r := search(t, s, index, projections.Query{Text: "维修", Size: 5, Facets: []string{"district", "tags", "status"}})
	if r.Total != 30 || len(r.Hits) != 5 {
		t.Fatalf("Total %d with %d hits, want 30 with 5", r.Total, len(r.Hits))
	}
	check := func(field string, want map[string]int) {
		t.Helper()
		got := map[string]int{}
		for _, ft := range r.Facets[field] {
			got[ft.Term] = ft.Count
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("facet %s = %v, want %v", field, got, want)
		}
		terms := r.Facets[field]
		for i := 1; i < len(terms); i++ {
			if terms[i].Count > terms[i-1].Count {
				t.Errorf("facet %s not by count descending: %v", field, terms)
			}
		}
	}
	check("district", map[string]int{"d1": 10, "d2": 10, "d3": 10})
	check("tags", map[string]int{"water": 30, "electric": 15})
	check("status", map[string]int{"open": 24, "closed": 6})

	// Facets follow filters too.
	r = search(t, s, index, projections.Query{Terms: map[string][]string{"district": {"d1", "d4"}}, Facets: []string{"district"}, Size: 1})
	check("district", map[string]int{"d1": 10, "d4": 5})
}
