package projections

import (
	"encoding/json"
	"testing"
)

func TestFreshIndexAnswersWhatItKnows(t *testing.T) {
	f := newFreshIndex(2)
	doc := func(id string, v uint64) Document {
		return Document{ID: id, Version: v, Source: json.RawMessage(`{"v":` + string(rune('0'+v)) + `}`)}
	}
	if _, found, known := f.get("a"); !known || found {
		t.Fatalf("never written: found %v known %v, want absent without asking the store", found, known)
	}
	f.wrote([]Document{doc("a", 1), doc("b", 1)})
	if d, found, known := f.get("a"); !known || !found || d.Version != 1 {
		t.Fatalf("just written: %+v found %v known %v", d, found, known)
	}
	// A stale version is refused by the store, and so by memory.
	f.wrote([]Document{doc("a", 3), doc("a", 2)})
	if d, _, _ := f.get("a"); d.Version != 3 {
		t.Errorf("after versions 3 then 2: version %d, want 3", d.Version)
	}
	// Beyond keep, the least recently used goes to the store to answer.
	f.wrote([]Document{doc("c", 1)})
	if _, _, known := f.get("b"); known {
		t.Error("the least recently used document is still answered from memory beyond the bound")
	}
	if _, found, known := f.get("a"); !known || !found {
		t.Error("a recently used document was evicted")
	}
	// A document the store holds but memory forgot is never re-cached from
	// a write: the store decides whether that write was newer.
	f.wrote([]Document{doc("b", 1)})
	if _, _, known := f.get("b"); known {
		t.Error("a forgotten document came back into memory on a write the store may have refused")
	}
}
