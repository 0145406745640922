package log_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	tlog "truce/log"
)

// The proof targets hold VerifyInclusion and VerifyConsistency to the
// verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2,
// written below as the RFC writes them: both accept exactly the same
// proofs. A proof that verifies must stop verifying when any bit of the
// root, the leaf or the proof changes.
//
// A proof arrives as one byte string cut into 32-byte hashes; a shorter
// last piece is a hash of the wrong length, which must be refused.

func cutProof(b []byte) [][]byte {
	var p [][]byte
	for len(b) > 0 {
		n := min(len(b), sha256.Size)
		p = append(p, b[:n:n])
		b = b[n:]
	}
	return p
}

func node(l, r []byte) []byte {
	h := sha256.New()
	h.Write([]byte{1})
	h.Write(l)
	h.Write(r)
	return h.Sum(nil)
}

func hashesOK(hs ...[]byte) bool {
	for _, h := range hs {
		if len(h) != sha256.Size {
			return false
		}
	}
	return true
}

// rfcInclusion is RFC 9162 section 2.1.3.2, with truce's bound on sizes.
func rfcInclusion(index, size uint64, leaf []byte, proof [][]byte, root []byte) bool {
	if index >= size || size > 1<<62 || !hashesOK(leaf, root) || !hashesOK(proof...) {
		return false
	}
	fn, sn, r := index, size-1, leaf
	for _, p := range proof {
		if sn == 0 {
			return false
		}
		if fn&1 == 1 || fn == sn {
			r = node(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = node(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	return sn == 0 && bytes.Equal(r, root)
}

// rfcConsistency is RFC 9162 section 2.1.4.2, with truce's rules for
// the edges: no proof from the empty tree, an empty proof between equal
// sizes.
func rfcConsistency(first, second uint64, firstHash, secondHash []byte, proof [][]byte) bool {
	if first == 0 || first > second || second > 1<<62 {
		return false
	}
	if first == second {
		// As the vectors have it, whatever the length of the roots.
		return len(proof) == 0 && bytes.Equal(firstHash, secondHash)
	}
	if len(proof) == 0 || !hashesOK(firstHash, secondHash) || !hashesOK(proof...) {
		return false
	}
	if first&(first-1) == 0 {
		proof = append([][]byte{firstHash}, proof...)
	}
	fn, sn := first-1, second-1
	for fn&1 == 1 {
		fn, sn = fn>>1, sn>>1
	}
	fr, sr := proof[0], proof[0]
	for _, c := range proof[1:] {
		if sn == 0 {
			return false
		}
		if fn&1 == 1 || fn == sn {
			fr, sr = node(c, fr), node(c, sr)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			sr = node(sr, c)
		}
		fn, sn = fn>>1, sn>>1
	}
	return bytes.Equal(fr, firstHash) && bytes.Equal(sr, secondHash) && sn == 0
}

// flipped returns a copy of b with bit i (modulo its length) inverted.
func flipped(b []byte, i uint16) []byte {
	c := bytes.Clone(b)
	if len(c) > 0 {
		c[int(i)/8%len(c)] ^= 1 << (i % 8)
	}
	return c
}

// vectorSeeds reads the RFC 6962 vectors of one kind into v, one value a
// file; none when the vectors are not at hand.
func vectorSeeds[V any](f *testing.F, kind string) []V {
	var out []V
	err := filepath.WalkDir(filepath.Join(vectorsDir, kind), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v V
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		f.Fatal(err)
	}
	return out
}

func FuzzVerifyInclusion(f *testing.F) {
	for _, v := range vectorSeeds[struct {
		LeafIdx  uint64   `json:"leafIdx"`
		TreeSize uint64   `json:"treeSize"`
		Root     string   `json:"root"`
		LeafHash string   `json:"leafHash"`
		Proof    []string `json:"proof"`
	}](f, "inclusion") {
		f.Add(v.LeafIdx, v.TreeSize, b64(v.LeafHash), bytes.Join(b64s(v.Proof), nil), b64(v.Root), uint16(0))
	}
	tree := newTree(f, 21)
	for _, size := range []int64{1, 2, 5, 8, 13, 21} {
		root, err := tlog.TreeHash(size, tree.reader(int(size)))
		if err != nil {
			f.Fatal(err)
		}
		for _, index := range []int64{0, size / 2, size - 1} {
			p, err := tlog.ProveInclusion(index, size, tree.reader(int(size)))
			if err != nil {
				f.Fatal(err)
			}
			leaf := tlog.LeafHash(tree.leaves[index])
			f.Add(uint64(index), uint64(size), leaf[:], bytes.Join(tlog.Slices(p), nil), root[:], uint16(index))
		}
	}
	f.Fuzz(func(t *testing.T, index, size uint64, leaf, proofBytes, root []byte, bit uint16) {
		proof := cutProof(proofBytes)
		err := tlog.VerifyInclusion(index, size, leaf, proof, root)
		if err != nil && !errors.Is(err, tlog.ErrProof) {
			t.Fatalf("VerifyInclusion(%d, %d) = %v, not an ErrProof", index, size, err)
		}
		if want := rfcInclusion(index, size, leaf, proof, root); (err == nil) != want {
			t.Fatalf("VerifyInclusion(%d, %d, %x, %x, %x) = %v; RFC 9162 verifies: %v", index, size, leaf, proof, root, err, want)
		}
		if err != nil {
			return
		}
		if tlog.VerifyInclusion(index, size, leaf, proof, flipped(root, bit)) == nil {
			t.Fatalf("inclusion of leaf %d in %d verifies for two roots", index, size)
		}
		if tlog.VerifyInclusion(index, size, flipped(leaf, bit), proof, root) == nil {
			t.Fatalf("inclusion of leaf %d in %d verifies for two leaves", index, size)
		}
		if len(proof) > 0 {
			bad := append([][]byte(nil), proof...)
			i := int(bit) % len(bad)
			bad[i] = flipped(bad[i], bit)
			if tlog.VerifyInclusion(index, size, leaf, bad, root) == nil {
				t.Fatalf("inclusion of leaf %d in %d verifies with proof[%d] changed", index, size, i)
			}
		}
	})
}

func FuzzVerifyConsistency(f *testing.F) {
	for _, v := range vectorSeeds[struct {
		Size1 uint64   `json:"size1"`
		Size2 uint64   `json:"size2"`
		Root1 string   `json:"root1"`
		Root2 string   `json:"root2"`
		Proof []string `json:"proof"`
	}](f, "consistency") {
		f.Add(v.Size1, v.Size2, b64(v.Root1), b64(v.Root2), bytes.Join(b64s(v.Proof), nil), uint16(0))
	}
	tree := newTree(f, 21)
	for _, sizes := range [][2]int64{{1, 1}, {1, 2}, {3, 7}, {4, 8}, {6, 13}, {8, 21}, {13, 21}} {
		r1, err := tlog.TreeHash(sizes[0], tree.reader(int(sizes[0])))
		if err != nil {
			f.Fatal(err)
		}
		r2, err := tlog.TreeHash(sizes[1], tree.reader(int(sizes[1])))
		if err != nil {
			f.Fatal(err)
		}
		p, err := tlog.ProveConsistency(sizes[0], sizes[1], tree.reader(int(sizes[1])))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint64(sizes[0]), uint64(sizes[1]), r1[:], r2[:], bytes.Join(tlog.Slices(p), nil), uint16(sizes[1]))
	}
	f.Fuzz(func(t *testing.T, old, new uint64, oldRoot, newRoot, proofBytes []byte, bit uint16) {
		proof := cutProof(proofBytes)
		err := tlog.VerifyConsistency(old, new, oldRoot, newRoot, proof)
		if err != nil && !errors.Is(err, tlog.ErrProof) {
			t.Fatalf("VerifyConsistency(%d, %d) = %v, not an ErrProof", old, new, err)
		}
		if want := rfcConsistency(old, new, oldRoot, newRoot, proof); (err == nil) != want {
			t.Fatalf("VerifyConsistency(%d, %d, %x, %x, %x) = %v; RFC 9162 verifies: %v", old, new, oldRoot, newRoot, proof, err, want)
		}
		if err != nil {
			return
		}
		if len(newRoot) == 0 {
			return // equal sizes and empty roots: no bit to flip
		}
		if tlog.VerifyConsistency(old, new, oldRoot, flipped(newRoot, bit), proof) == nil {
			t.Fatalf("consistency of %d with %d verifies for two new roots", old, new)
		}
		if tlog.VerifyConsistency(old, new, flipped(oldRoot, bit), newRoot, proof) == nil {
			t.Fatalf("consistency of %d with %d verifies for two old roots", old, new)
		}
		if len(proof) > 0 {
			bad := append([][]byte(nil), proof...)
			i := int(bit) % len(bad)
			bad[i] = flipped(bad[i], bit)
			if tlog.VerifyConsistency(old, new, oldRoot, newRoot, bad) == nil {
				t.Fatalf("consistency of %d with %d verifies with proof[%d] changed", old, new, i)
			}
		}
	})
}
