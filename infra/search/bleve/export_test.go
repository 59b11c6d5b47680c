package blevestore

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Segments reports how many segments the index's current snapshot holds.
func Segments(s *Store, name string) (int, error) {
	h, err := s.mustOpen(name)
	if err != nil {
		return 0, err
	}
	adv, err := h.idx.Advanced()
	if err != nil {
		return 0, err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, fmt.Errorf("index %s is not scorch", name)
	}
	st := sc.StatsMap()
	return int(st["TotFileSegmentsAtRoot"].(uint64) + st["TotMemorySegmentsAtRoot"].(uint64)), nil
}
