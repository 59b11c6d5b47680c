package blevestore

// Segments reports how many segments the index's current snapshot holds.
func Segments(s *Store, name string) (int, error) {
	sc, err := s.scorchOf(name)
	if err != nil {
		return 0, err
	}
	st := sc.StatsMap()
	return int(st["TotFileSegmentsAtRoot"].(uint64) + st["TotMemorySegmentsAtRoot"].(uint64)), nil
}
