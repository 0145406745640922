package log

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Hash is a SHA-256 Merkle tree hash.
type Hash = tlog.Hash

// HashReader reads stored hashes by their stored-hash index.
type HashReader = tlog.HashReader

// HashReaderFunc adapts a function to a HashReader.
type HashReaderFunc = tlog.HashReaderFunc

// LeafHash returns the RFC 6962 leaf hash of entry bytes.
func LeafHash(data []byte) Hash { return tlog.RecordHash(data) }

// StoredHashes returns the hashes to store when appending the leaf with
// index n and the given data, beginning at stored-hash index
// StoredHashIndex(0, n). r must read the hashes of the first n leaves.
func StoredHashes(n int64, data []byte, r HashReader) ([]Hash, error) {
	return tlog.StoredHashes(n, data, r)
}

// StoredHashCount returns how many hashes a tree of n leaves stores.
func StoredHashCount(n int64) int64 { return tlog.StoredHashCount(n) }

// StoredHashIndex returns the stored-hash index of the hash at the given
// level and position in the tree.
func StoredHashIndex(level int, n int64) int64 { return tlog.StoredHashIndex(level, n) }

// TreeHash returns the root hash of the tree of the first n leaves.
func TreeHash(n int64, r HashReader) (Hash, error) { return tlog.TreeHash(n, r) }

// ProveInclusion returns the RFC 6962 audit path of leaf index in the tree
// of size leaves.
func ProveInclusion(index, size int64, r HashReader) ([]Hash, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("inclusion proof: index %d is not in a tree of size %d", index, size)
	}
	return tlog.ProveRecord(size, index, r)
}

// ProveConsistency returns the RFC 6962 consistency proof between the trees
// of sizes old and new.
func ProveConsistency(old, new int64, r HashReader) ([]Hash, error) {
	if old < 1 || old > new {
		return nil, fmt.Errorf("consistency proof: sizes %d and %d: need 1 <= old <= new", old, new)
	}
	return tlog.ProveTree(new, old, r)
}

// ErrProof is returned, wrapped, by every failed proof check.
var ErrProof = errors.New("proof does not verify")

// maxTreeSize bounds the sizes a proof may speak of; tlog's arithmetic holds
// below 2^62 leaves.
const maxTreeSize = 1 << 62

// VerifyInclusion checks that leafHash is leaf index of the tree of size
// leaves with the given root. Hashes are byte strings as they arrive from
// outside; any of the wrong length makes the proof fail.
func VerifyInclusion(index, size uint64, leafHash []byte, proof [][]byte, root []byte) error {
	if size == 0 || size > maxTreeSize || index >= size {
		return fmt.Errorf("%w: index %d is not in a tree of size %d", ErrProof, index, size)
	}
	leaf, err := toHash("leaf hash", leafHash)
	if err != nil {
		return err
	}
	th, err := toHash("root", root)
	if err != nil {
		return err
	}
	p, err := toHashes(proof)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(p, int64(size), th, int64(index), leaf); err != nil {
		return fmt.Errorf("%w: inclusion of leaf %d in tree %d: %v", ErrProof, index, size, err)
	}
	return nil
}

// VerifyConsistency checks that the tree of size old with root oldRoot is a
// prefix of the tree of size new with root newRoot. A proof from the empty
// tree proves nothing and is refused, as RFC 9162 section 2.1.4.2 does.
func VerifyConsistency(old, new uint64, oldRoot, newRoot []byte, proof [][]byte) error {
	switch {
	case old == 0:
		return fmt.Errorf("%w: a consistency proof from the empty tree proves nothing", ErrProof)
	case new < old || new > maxTreeSize:
		return fmt.Errorf("%w: sizes %d and %d: need 1 <= old <= new", ErrProof, old, new)
	case old == new:
		if len(proof) != 0 {
			return fmt.Errorf("%w: a proof between equal sizes must be empty", ErrProof)
		}
		if !bytes.Equal(oldRoot, newRoot) {
			return fmt.Errorf("%w: equal sizes with different roots", ErrProof)
		}
		return nil
	}
	r1, err := toHash("old root", oldRoot)
	if err != nil {
		return err
	}
	r2, err := toHash("new root", newRoot)
	if err != nil {
		return err
	}
	p, err := toHashes(proof)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(p, int64(new), r2, int64(old), r1); err != nil {
		return fmt.Errorf("%w: consistency of %d with %d: %v", ErrProof, old, new, err)
	}
	return nil
}

func toHash(what string, b []byte) (Hash, error) {
	var h Hash
	if len(b) != len(h) {
		return h, fmt.Errorf("%w: %s is %d bytes, not %d", ErrProof, what, len(b), len(h))
	}
	copy(h[:], b)
	return h, nil
}

func toHashes(proof [][]byte) ([]Hash, error) {
	p := make([]Hash, len(proof))
	for i, b := range proof {
		h, err := toHash(fmt.Sprintf("proof[%d]", i), b)
		if err != nil {
			return nil, err
		}
		p[i] = h
	}
	return p, nil
}

// Slices returns hashes as byte slices, as the Verify functions take them.
func Slices(hashes []Hash) [][]byte {
	s := make([][]byte, len(hashes))
	for i := range hashes {
		s[i] = hashes[i][:]
	}
	return s
}
