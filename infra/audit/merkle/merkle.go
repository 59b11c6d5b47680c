// Package merkle is the Merkle tree of RFC 9162 (Certificate Transparency
// 2.0) §2.1 over a growing list of leaves: tree heads (MTH), inclusion
// proofs (PATH) and consistency proofs (PROOF), and their verification.
//
// Hashes are SHA-256. A leaf's hash is SHA-256(0x00 ‖ leaf bytes); an
// interior node's is SHA-256(0x01 ‖ left ‖ right); the empty tree's is
// SHA-256 of nothing.
package merkle

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/bits"
)

// Hash is a SHA-256 digest.
type Hash [sha256.Size]byte

// LeafHash is SHA-256(0x00 ‖ leaf).
func LeafHash(leaf []byte) Hash {
	h := sha256.New()
	h.Write([]byte{0x00})
	h.Write(leaf)
	var out Hash
	h.Sum(out[:0])
	return out
}

// NodeHash is SHA-256(0x01 ‖ left ‖ right).
func NodeHash(left, right Hash) Hash {
	var buf [1 + 2*sha256.Size]byte
	buf[0] = 0x01
	copy(buf[1:], left[:])
	copy(buf[1+sha256.Size:], right[:])
	return sha256.Sum256(buf[:])
}

// EmptyRoot is the head of the tree with no leaves: SHA-256().
var EmptyRoot = Hash(sha256.Sum256(nil))

// splitPoint is k of RFC 9162 §2.1.1: the largest power of two smaller
// than n (n > 1).
func splitPoint(n uint64) uint64 { return 1 << (bits.Len64(n-1) - 1) }

// Tree holds every leaf hash and every complete subtree's hash, so that a
// tree head or a proof for any size costs O(log² n) lookups and no more
// than O(log n) hashing. It is not safe for concurrent use: callers lock.
//
// levels[h][i] is the hash of the perfect subtree over leaves
// [i·2^h, (i+1)·2^h); it takes about 64 bytes per leaf in all.
type Tree struct {
	levels [][]Hash
}

// Size is the number of leaves.
func (t *Tree) Size() uint64 {
	if len(t.levels) == 0 {
		return 0
	}
	return uint64(len(t.levels[0]))
}

// Append adds a leaf by its hash (LeafHash of its bytes).
func (t *Tree) Append(leaf Hash) {
	if len(t.levels) == 0 {
		t.levels = append(t.levels, nil)
	}
	t.levels[0] = append(t.levels[0], leaf)
	for h := 0; len(t.levels[h])%2 == 0; h++ {
		n := len(t.levels[h])
		parent := NodeHash(t.levels[h][n-2], t.levels[h][n-1])
		if h+1 == len(t.levels) {
			t.levels = append(t.levels, nil)
		}
		t.levels[h+1] = append(t.levels[h+1], parent)
	}
}

// Reserve makes room for n leaves in all without reallocating, so that a
// tree loaded at once does not hold twice its size while it grows.
func (t *Tree) Reserve(n uint64) {
	for h := 0; n>>h > 0; h++ {
		if h == len(t.levels) {
			t.levels = append(t.levels, nil)
		}
		if need := int(n >> h); cap(t.levels[h]) < need {
			grown := make([]Hash, len(t.levels[h]), need)
			copy(grown, t.levels[h])
			t.levels[h] = grown
		}
	}
}

// Leaf returns the hash of leaf i.
func (t *Tree) Leaf(i uint64) Hash { return t.levels[0][i] }

// Truncate drops every leaf from size on (used when a derived copy of the
// tree turns out to run ahead of the log it was derived from).
func (t *Tree) Truncate(size uint64) {
	for h := range t.levels {
		keep := size >> h
		if uint64(len(t.levels[h])) > keep {
			t.levels[h] = t.levels[h][:keep]
		}
	}
}

// ErrSize is returned for a tree size or index the tree does not have.
var ErrSize = errors.New("merkle: no such tree size or leaf")

// Root is MTH(D[0:size]), the head of the tree of the first size leaves.
func (t *Tree) Root(size uint64) (Hash, error) {
	if size > t.Size() {
		return Hash{}, fmt.Errorf("%w: size %d, tree has %d", ErrSize, size, t.Size())
	}
	if size == 0 {
		return EmptyRoot, nil
	}
	return t.subtree(0, size), nil
}

// subtree is MTH(D[lo:hi]) for a range the RFC's recursion visits: a
// perfect, aligned range is looked up, any other is split at k.
func (t *Tree) subtree(lo, hi uint64) Hash {
	n := hi - lo
	if n&(n-1) == 0 && lo%n == 0 {
		h := bits.TrailingZeros64(n)
		return t.levels[h][lo>>h]
	}
	k := splitPoint(n)
	return NodeHash(t.subtree(lo, lo+k), t.subtree(lo+k, hi))
}

// InclusionProof is PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf
// side first.
func (t *Tree) InclusionProof(index, size uint64) ([]Hash, error) {
	if size > t.Size() || index >= size {
		return nil, fmt.Errorf("%w: leaf %d in a tree of %d (the log has %d)", ErrSize, index, size, t.Size())
	}
	var path []Hash
	t.path(index, 0, size, &path)
	return path, nil
}

func (t *Tree) path(m, lo, hi uint64, out *[]Hash) {
	n := hi - lo
	if n <= 1 {
		return
	}
	k := splitPoint(n)
	if m < k {
		t.path(m, lo, lo+k, out)
		*out = append(*out, t.subtree(lo+k, hi))
	} else {
		t.path(m-k, lo+k, hi, out)
		*out = append(*out, t.subtree(lo, lo+k))
	}
}

// ConsistencyProof is PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1.
func (t *Tree) ConsistencyProof(first, second uint64) ([]Hash, error) {
	if second > t.Size() || first > second {
		return nil, fmt.Errorf("%w: from %d to %d (the log has %d)", ErrSize, first, second, t.Size())
	}
	if first == 0 || first == second {
		return nil, nil
	}
	var proof []Hash
	t.subproof(first, 0, second, true, &proof)
	return proof, nil
}

func (t *Tree) subproof(m, lo, hi uint64, complete bool, out *[]Hash) {
	n := hi - lo
	if m == n {
		if !complete {
			*out = append(*out, t.subtree(lo, hi))
		}
		return
	}
	k := splitPoint(n)
	if m <= k {
		t.subproof(m, lo, lo+k, complete, out)
		*out = append(*out, t.subtree(lo+k, hi))
	} else {
		t.subproof(m-k, lo+k, hi, false, out)
		*out = append(*out, t.subtree(lo, lo+k))
	}
}

// ErrProof is returned when a proof does not verify.
var ErrProof = errors.New("merkle: proof does not verify")

// VerifyInclusion checks an inclusion proof by the algorithm of RFC 9162
// §2.1.3.2.
func VerifyInclusion(leaf Hash, index, size uint64, path []Hash, root Hash) error {
	if index >= size {
		return fmt.Errorf("%w: leaf index %d is not below tree size %d", ErrProof, index, size)
	}
	fn, sn := index, size-1
	r := leaf
	for _, p := range path {
		if sn == 0 {
			return fmt.Errorf("%w: path too long", ErrProof)
		}
		if fn&1 == 1 || fn == sn {
			r = NodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = NodeHash(r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 || r != root {
		return ErrProof
	}
	return nil
}

// VerifyConsistency checks a consistency proof between two tree heads by
// the algorithm of RFC 9162 §2.1.4.2.
func VerifyConsistency(first, second uint64, firstRoot, secondRoot Hash, proof []Hash) error {
	switch {
	case first > second:
		return fmt.Errorf("%w: first size %d exceeds second %d", ErrProof, first, second)
	case first == second:
		if len(proof) != 0 || firstRoot != secondRoot {
			return ErrProof
		}
		return nil
	case first == 0:
		// Every tree extends the empty one; RFC 9162 proves nothing here.
		if len(proof) != 0 {
			return ErrProof
		}
		return nil
	}
	if len(proof) == 0 {
		return fmt.Errorf("%w: empty proof", ErrProof)
	}
	if first&(first-1) == 0 {
		proof = append([]Hash{firstRoot}, proof...)
	}
	fn, sn := first-1, second-1
	for fn&1 == 1 {
		fn >>= 1
		sn >>= 1
	}
	fr, sr := proof[0], proof[0]
	for _, c := range proof[1:] {
		if sn == 0 {
			return fmt.Errorf("%w: proof too long", ErrProof)
		}
		if fn&1 == 1 || fn == sn {
			fr = NodeHash(c, fr)
			sr = NodeHash(c, sr)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			sr = NodeHash(sr, c)
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 || fr != firstRoot || sr != secondRoot {
		return ErrProof
	}
	return nil
}
