package log_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"testing"

	tlog "truce/log"
)

// memTree is a log kept in memory: its leaves and the hashes StoredHashes
// asked to store.
type memTree struct {
	leaves [][]byte
	hashes []tlog.Hash
}

// newTree returns a tree of n leaves "leaf 0", "leaf 1", ….
func newTree(t testing.TB, n int) *memTree {
	t.Helper()
	m := &memTree{}
	for i := range n {
		m.append(t, fmt.Appendf(nil, "leaf %d", i))
	}
	return m
}

func (m *memTree) append(t testing.TB, data []byte) {
	t.Helper()
	n := int64(len(m.leaves))
	if got, want := int64(len(m.hashes)), tlog.StoredHashIndex(0, n); got != want {
		t.Fatalf("before leaf %d: %d stored hashes, want StoredHashIndex(0, %d) = %d", n, got, n, want)
	}
	h, err := tlog.StoredHashes(n, data, m.reader(len(m.leaves)))
	if err != nil {
		t.Fatalf("StoredHashes(%d): %v", n, err)
	}
	m.hashes = append(m.hashes, h...)
	m.leaves = append(m.leaves, data)
	if got, want := int64(len(m.hashes)), tlog.StoredHashCount(n+1); got != want {
		t.Fatalf("after leaf %d: %d stored hashes, want StoredHashCount(%d) = %d", n, got, n+1, want)
	}
}

// reader reads the stored hashes of the tree of the first n leaves, and
// refuses to read any other: a proof about that tree must not need them.
func (m *memTree) reader(n int) tlog.HashReader {
	limit := tlog.StoredHashCount(int64(n))
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= limit {
				return nil, fmt.Errorf("stored hash %d is not in the tree of size %d", x, n)
			}
			out[i] = m.hashes[x]
		}
		return out, nil
	})
}

// The functions below are RFC 6962 section 2.1, written as the RFC writes
// it, to check the tlog-based code against.

// split returns the largest power of two less than n, for n > 1.
func split(n int) int {
	k := 1
	for k*2 < n {
		k *= 2
	}
	return k
}

// mth is MTH(D[n]).
func mth(d [][]byte) tlog.Hash {
	switch len(d) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return sha256.Sum256(append([]byte{0}, d[0]...))
	}
	k := split(len(d))
	l, r := mth(d[:k]), mth(d[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

// path is PATH(m, D[n]), the audit path of leaf m.
func path(m int, d [][]byte) []tlog.Hash {
	if len(d) <= 1 {
		return nil
	}
	k := split(len(d))
	if m < k {
		return append(path(m, d[:k]), mth(d[k:]))
	}
	return append(path(m-k, d[k:]), mth(d[:k]))
}

// subproof is SUBPROOF(m, D[n], b); PROOF(m, D[n]) is subproof(m, d, true).
func subproof(m int, d [][]byte, b bool) []tlog.Hash {
	if m == len(d) {
		if b {
			return nil
		}
		return []tlog.Hash{mth(d)}
	}
	k := split(len(d))
	if m <= k {
		return append(subproof(m, d[:k], b), mth(d[k:]))
	}
	return append(subproof(m-k, d[k:], false), mth(d[:k]))
}

const maxTestTree = 70

func TestTreeHash(t *testing.T) {
	tree := newTree(t, maxTestTree)
	for i, leaf := range tree.leaves {
		if got, want := tree.hashes[tlog.StoredHashIndex(0, int64(i))], mth([][]byte{leaf}); got != want {
			t.Errorf("leaf hash %d = %v, want %v", i, got, want)
		}
		if got, want := tlog.LeafHash(leaf), mth([][]byte{leaf}); got != want {
			t.Errorf("LeafHash(%q) = %v, want %v", leaf, got, want)
		}
	}
	for n := 1; n <= maxTestTree; n++ {
		got, err := tlog.TreeHash(int64(n), tree.reader(n))
		if err != nil {
			t.Fatalf("TreeHash(%d): %v", n, err)
		}
		if want := mth(tree.leaves[:n]); got != want {
			t.Errorf("TreeHash(%d) = %v, want %v", n, got, want)
		}
	}
}

// flip returns a copy of proof with one bit of hash i changed.
func flip(proof [][]byte, i int) [][]byte {
	p := make([][]byte, len(proof))
	copy(p, proof)
	p[i] = append([]byte(nil), p[i]...)
	p[i][i%len(p[i])] ^= 1 << (i % 8)
	return p
}

func TestInclusion(t *testing.T) {
	tree := newTree(t, maxTestTree)
	for n := 1; n <= maxTestTree; n++ {
		r := tree.reader(n)
		root := mth(tree.leaves[:n])
		for i := range n {
			proof, err := tlog.ProveInclusion(int64(i), int64(n), r)
			if err != nil {
				t.Fatalf("ProveInclusion(%d, %d): %v", i, n, err)
			}
			if want := path(i, tree.leaves[:n]); !reflect.DeepEqual(proof, want) && len(proof)+len(want) > 0 {
				t.Errorf("ProveInclusion(%d, %d) = %v, want %v", i, n, proof, want)
			}
			leaf := tlog.LeafHash(tree.leaves[i])
			p := tlog.Slices(proof)
			if err := tlog.VerifyInclusion(uint64(i), uint64(n), leaf[:], p, root[:]); err != nil {
				t.Errorf("VerifyInclusion(%d, %d): %v", i, n, err)
			}
			for j := range p {
				if err := tlog.VerifyInclusion(uint64(i), uint64(n), leaf[:], flip(p, j), root[:]); !errors.Is(err, tlog.ErrProof) {
					t.Errorf("VerifyInclusion(%d, %d) with proof[%d] altered = %v, want ErrProof", i, n, j, err)
				}
			}
			other := tlog.LeafHash([]byte("not a leaf"))
			if err := tlog.VerifyInclusion(uint64(i), uint64(n), other[:], p, root[:]); !errors.Is(err, tlog.ErrProof) {
				t.Errorf("VerifyInclusion(%d, %d) of another leaf = %v, want ErrProof", i, n, err)
			}
			if n > 1 {
				j := (i + 1) % n
				if err := tlog.VerifyInclusion(uint64(j), uint64(n), leaf[:], p, root[:]); !errors.Is(err, tlog.ErrProof) {
					t.Errorf("VerifyInclusion(%d, %d) with the proof of leaf %d = %v, want ErrProof", j, n, i, err)
				}
			}
			if len(p) > 0 {
				if err := tlog.VerifyInclusion(uint64(i), uint64(n), leaf[:], p[:len(p)-1], root[:]); !errors.Is(err, tlog.ErrProof) {
					t.Errorf("VerifyInclusion(%d, %d) with the proof cut short = %v, want ErrProof", i, n, err)
				}
			}
		}
	}
}

func TestConsistency(t *testing.T) {
	tree := newTree(t, maxTestTree)
	var roots []tlog.Hash
	for n := 0; n <= maxTestTree; n++ {
		roots = append(roots, mth(tree.leaves[:n]))
	}
	for n := 1; n <= maxTestTree; n++ {
		r := tree.reader(n)
		for m := 1; m <= n; m++ {
			proof, err := tlog.ProveConsistency(int64(m), int64(n), r)
			if err != nil {
				t.Fatalf("ProveConsistency(%d, %d): %v", m, n, err)
			}
			if want := subproof(m, tree.leaves[:n], true); !reflect.DeepEqual(proof, want) && len(proof)+len(want) > 0 {
				t.Errorf("ProveConsistency(%d, %d) = %v, want %v", m, n, proof, want)
			}
			p := tlog.Slices(proof)
			if err := tlog.VerifyConsistency(uint64(m), uint64(n), roots[m][:], roots[n][:], p); err != nil {
				t.Errorf("VerifyConsistency(%d, %d): %v", m, n, err)
			}
			for j := range p {
				if err := tlog.VerifyConsistency(uint64(m), uint64(n), roots[m][:], roots[n][:], flip(p, j)); !errors.Is(err, tlog.ErrProof) {
					t.Errorf("VerifyConsistency(%d, %d) with proof[%d] altered = %v, want ErrProof", m, n, j, err)
				}
			}
			if m < n {
				if err := tlog.VerifyConsistency(uint64(m), uint64(n), roots[m-1][:], roots[n][:], p); !errors.Is(err, tlog.ErrProof) {
					t.Errorf("VerifyConsistency(%d, %d) with the root of size %d = %v, want ErrProof", m, n, m-1, err)
				}
				if err := tlog.VerifyConsistency(uint64(m), uint64(n), roots[m][:], roots[n-1][:], p); !errors.Is(err, tlog.ErrProof) {
					t.Errorf("VerifyConsistency(%d, %d) with the root of size %d = %v, want ErrProof", m, n, n-1, err)
				}
			}
		}
	}
}

func TestProveErrors(t *testing.T) {
	tree := newTree(t, 8)
	r := tree.reader(8)
	for _, tt := range []struct{ index, size int64 }{
		{-1, 5}, {5, 5}, {6, 5}, {0, 0}, {0, -1}, {-1, -1},
		{0, 9}, // a tree larger than the reader holds
	} {
		if p, err := tlog.ProveInclusion(tt.index, tt.size, r); err == nil {
			t.Errorf("ProveInclusion(%d, %d) = %v, want error", tt.index, tt.size, p)
		}
	}
	for _, tt := range []struct{ old, new int64 }{
		{0, 5}, {-1, 5}, {6, 5}, {1, 0}, {0, 0}, {-2, -1},
		{1, 9}, // a tree larger than the reader holds
	} {
		if p, err := tlog.ProveConsistency(tt.old, tt.new, r); err == nil {
			t.Errorf("ProveConsistency(%d, %d) = %v, want error", tt.old, tt.new, p)
		}
	}
}

func TestVerifyErrors(t *testing.T) {
	tree := newTree(t, 8)
	root := mth(tree.leaves)
	leaf := tlog.LeafHash(tree.leaves[3])
	proof, err := tlog.ProveInclusion(3, 8, tree.reader(8))
	if err != nil {
		t.Fatal(err)
	}
	p := tlog.Slices(proof)
	if err := tlog.VerifyInclusion(3, 8, leaf[:], p, root[:]); err != nil {
		t.Fatalf("VerifyInclusion(3, 8): %v", err)
	}
	long := append(append([][]byte(nil), p...), root[:])
	short := append(append([][]byte(nil), p[:1]...), p[1][:31])
	for _, tt := range []struct {
		name        string
		index, size uint64
		leaf        []byte
		proof       [][]byte
		root        []byte
	}{
		{"size 0", 0, 0, leaf[:], p, root[:]},
		{"index = size", 8, 8, leaf[:], p, root[:]},
		{"size over 2^62", 3, 1<<62 + 1, leaf[:], p, root[:]},
		{"short leaf hash", 3, 8, leaf[:31], p, root[:]},
		{"long leaf hash", 3, 8, append(leaf[:], 0), p, root[:]},
		{"nil root", 3, 8, leaf[:], p, nil},
		{"short root", 3, 8, leaf[:], p, root[:31]},
		{"short proof hash", 3, 8, leaf[:], short, root[:]},
		{"proof too long", 3, 8, leaf[:], long, root[:]},
		{"no proof", 3, 8, leaf[:], nil, root[:]},
	} {
		if err := tlog.VerifyInclusion(tt.index, tt.size, tt.leaf, tt.proof, tt.root); !errors.Is(err, tlog.ErrProof) {
			t.Errorf("%s: VerifyInclusion = %v, want ErrProof", tt.name, err)
		}
	}

	old := mth(tree.leaves[:5])
	cproof, err := tlog.ProveConsistency(5, 8, tree.reader(8))
	if err != nil {
		t.Fatal(err)
	}
	cp := tlog.Slices(cproof)
	if err := tlog.VerifyConsistency(5, 8, old[:], root[:], cp); err != nil {
		t.Fatalf("VerifyConsistency(5, 8): %v", err)
	}
	if err := tlog.VerifyConsistency(8, 8, root[:], root[:], nil); err != nil {
		t.Errorf("VerifyConsistency(8, 8, no proof): %v", err)
	}
	empty := mth(nil)
	for _, tt := range []struct {
		name     string
		old, new uint64
		r1, r2   []byte
		proof    [][]byte
	}{
		{"from the empty tree", 0, 8, empty[:], root[:], nil},
		{"new < old", 8, 5, root[:], old[:], cp},
		{"new over 2^62", 5, 1<<62 + 1, old[:], root[:], cp},
		{"equal sizes, different roots", 8, 8, root[:], old[:], nil},
		{"equal sizes, a proof", 8, 8, root[:], root[:], cp[:1]},
		{"roots swapped", 5, 8, root[:], old[:], cp},
		{"short old root", 5, 8, old[:31], root[:], cp},
		{"short new root", 5, 8, old[:], root[:31], cp},
		{"short proof hash", 5, 8, old[:], root[:], [][]byte{cp[0][:31]}},
		{"no proof", 5, 8, old[:], root[:], nil},
	} {
		if err := tlog.VerifyConsistency(tt.old, tt.new, tt.r1, tt.r2, tt.proof); !errors.Is(err, tlog.ErrProof) {
			t.Errorf("%s: VerifyConsistency = %v, want ErrProof", tt.name, err)
		}
	}
}
