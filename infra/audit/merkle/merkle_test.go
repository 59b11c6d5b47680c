package merkle

import (
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
)

// The reference below follows RFC 9162 §2.1 word for word, on the list
// of leaf hashes, with no stored subtrees: the tree must agree with it.
func refMTH(d []Hash) Hash {
	switch len(d) {
	case 0:
		return EmptyRoot
	case 1:
		return d[0]
	}
	k := splitPoint(uint64(len(d)))
	return NodeHash(refMTH(d[:k]), refMTH(d[k:]))
}

func refPath(m uint64, d []Hash) []Hash {
	if len(d) <= 1 {
		return nil
	}
	k := splitPoint(uint64(len(d)))
	if m < k {
		return append(refPath(m, d[:k]), refMTH(d[k:]))
	}
	return append(refPath(m-k, d[k:]), refMTH(d[:k]))
}

func refSubproof(m uint64, d []Hash, b bool) []Hash {
	n := uint64(len(d))
	if m == n {
		if b {
			return nil
		}
		return []Hash{refMTH(d)}
	}
	k := splitPoint(n)
	if m <= k {
		return append(refSubproof(m, d[:k], b), refMTH(d[k:]))
	}
	return append(refSubproof(m-k, d[k:], false), refMTH(d[:k]))
}

func leaves(n int) []Hash {
	out := make([]Hash, n)
	for i := range out {
		out[i] = LeafHash([]byte(fmt.Sprintf("leaf %d", i)))
	}
	return out
}

func TestTreeAgreesWithTheRFCDefinitions(t *testing.T) {
	const max = 70
	d := leaves(max)
	var tree Tree
	for _, l := range d {
		tree.Append(l)
	}
	for n := uint64(0); n <= max; n++ {
		root, err := tree.Root(n)
		if err != nil {
			t.Fatal(err)
		}
		if want := refMTH(d[:n]); root != want {
			t.Fatalf("root of %d leaves: %x, want %x", n, root, want)
		}
		for m := uint64(0); m < n; m++ {
			path, err := tree.InclusionProof(m, n)
			if err != nil {
				t.Fatal(err)
			}
			if want := refPath(m, d[:n]); fmt.Sprint(path) != fmt.Sprint(want) {
				t.Fatalf("PATH(%d, %d) differs from the RFC's", m, n)
			}
			if err := VerifyInclusion(d[m], m, n, path, root); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", m, n, err)
			}
			if err := VerifyInclusion(d[(m+1)%uint64(max)], m, n, path, root); !errors.Is(err, ErrProof) {
				t.Fatalf("inclusion of the wrong leaf at %d in %d verified", m, n)
			}
		}
		for m := uint64(1); m <= n; m++ {
			proof, err := tree.ConsistencyProof(m, n)
			if err != nil {
				t.Fatal(err)
			}
			if m < n {
				if want := refSubproof(m, d[:n], true); fmt.Sprint(proof) != fmt.Sprint(want) {
					t.Fatalf("PROOF(%d, %d) differs from the RFC's", m, n)
				}
			}
			first, _ := tree.Root(m)
			if err := VerifyConsistency(m, n, first, root, proof); err != nil {
				t.Fatalf("consistency %d→%d: %v", m, n, err)
			}
			if m < n {
				if err := VerifyConsistency(m, n, LeafHash([]byte("forged")), root, proof); !errors.Is(err, ErrProof) {
					t.Fatalf("consistency %d→%d verified against a forged first head", m, n)
				}
			}
		}
	}
}

// The vectors used by Certificate Transparency implementations since RFC
// 6962: eight leaves of known bytes and the tree heads they give.
func TestKnownTreeHeads(t *testing.T) {
	inputs := []string{"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"}
	want := map[uint64]string{
		1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	var tree Tree
	for _, in := range inputs {
		b, _ := hex.DecodeString(in)
		tree.Append(LeafHash(b))
	}
	if got := hex.EncodeToString(EmptyRoot[:]); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatalf("empty root %s", got)
	}
	for n, w := range want {
		root, _ := tree.Root(n)
		if got := hex.EncodeToString(root[:]); got != w {
			t.Errorf("root of %d leaves = %s, want %s", n, got, w)
		}
	}
}

func TestTruncateGivesTheSmallerTree(t *testing.T) {
	d := leaves(37)
	var full, short Tree
	for i, l := range d {
		full.Append(l)
		if i < 21 {
			short.Append(l)
		}
	}
	full.Truncate(21)
	for n := uint64(0); n <= 21; n++ {
		a, _ := full.Root(n)
		b, _ := short.Root(n)
		if a != b {
			t.Fatalf("root %d after truncate differs", n)
		}
	}
	full.Append(d[21])
	if full.Size() != 22 {
		t.Fatalf("size %d", full.Size())
	}
	if _, err := full.Root(23); !errors.Is(err, ErrSize) {
		t.Fatal("root beyond the size answered")
	}
}

func TestReserveChangesNothingButRoom(t *testing.T) {
	d := leaves(45)
	var plain, reserved Tree
	reserved.Reserve(50)
	for _, l := range d {
		plain.Append(l)
		reserved.Append(l)
	}
	for n := uint64(0); n <= 45; n++ {
		a, _ := plain.Root(n)
		b, _ := reserved.Root(n)
		if a != b {
			t.Fatalf("root %d differs after Reserve", n)
		}
	}
	if cap(reserved.levels[0]) != 50 {
		t.Fatalf("room for %d leaves, want 50", cap(reserved.levels[0]))
	}
}
