package projections

import "container/list"

// freshIndex remembers what a rebuild wrote into its new generation. Only
// the rebuild writes there until the switch, so this memory is exact: a
// document it never wrote is absent without asking the store, and the ones
// written last are served from memory. Older ones are read from the store,
// so memory stays bounded however large the read model grows. On
// Elasticsearch this saves a round trip per event folded.
type freshIndex struct {
	keep    int
	written map[string]struct{}
	recent  map[string]*list.Element
	order   *list.List // of Document, most recently written first
}

// freshKeep is how many documents a rebuild keeps in memory.
const freshKeep = 20000

func newFreshIndex(keep int) *freshIndex {
	return &freshIndex{keep: keep, written: map[string]struct{}{}, recent: map[string]*list.Element{}, order: list.New()}
}

// get answers from memory when it can: known says whether it did, found
// whether the document exists.
func (f *freshIndex) get(id string) (doc Document, found, known bool) {
	if _, ok := f.written[id]; !ok {
		return Document{}, false, true
	}
	if el, ok := f.recent[id]; ok {
		f.order.MoveToFront(el)
		return el.Value.(Document), true, true
	}
	return Document{}, false, false
}

// wrote records documents written to the store, which keeps a document
// only if its version is newer than the stored one: so does this memory.
// A document no longer in memory stays with the store to decide.
func (f *freshIndex) wrote(docs []Document) {
	for _, d := range docs {
		if el, ok := f.recent[d.ID]; ok {
			if d.Version > el.Value.(Document).Version {
				el.Value = d
			}
			f.order.MoveToFront(el)
			continue
		}
		if _, ok := f.written[d.ID]; ok {
			continue
		}
		f.written[d.ID] = struct{}{}
		f.recent[d.ID] = f.order.PushFront(d)
		if f.order.Len() > f.keep {
			old := f.order.Remove(f.order.Back()).(Document)
			delete(f.recent, old.ID)
		}
	}
}
