package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	xtlog "golang.org/x/mod/sumdb/tlog"

	"truce"
	tlog "truce/log"
)

// verifyEntries recomputes the tree from the stored entries, compares it
// with the stored hashes, and returns the recomputed hashes. Entries are
// read once, a batch at a time with the batch's stored hashes: the work is
// linear in the log.
func verifyEntries(tx truce.Tx, rep *VerifyReport, progress Progress) (memHashes, error) {
	n, err := tx.LogSize()
	if err != nil {
		return nil, err
	}
	var hashes memHashes
	mem := &hashes
	var last time.Time
	next := int64(0)
	for from := int64(0); from < n; from += replayBatch {
		to := min(from+replayBatch, n)
		type row struct {
			i          int64
			data, side []byte
		}
		var rows []row
		err := tx.ScanEntries(from, to, func(i int64, data, side []byte) error {
			rows = append(rows, row{i, data, side})
			return nil
		})
		if err != nil {
			return nil, err
		}
		// The batch's stored hashes in one read; when that fails (a row
		// missing, a hash cut short), each entry reads its own, so that
		// the fault is named at its entry.
		lo := tlog.StoredHashCount(from)
		batch, err := readHashRange(tx, lo, tlog.StoredHashCount(to))
		if err != nil {
			batch = nil
		}
		for _, r := range rows {
			i, data, side := r.i, r.data, r.side
			at := fmt.Sprint(i)
			if i != next && next == 0 {
				return nil, faultf(DamageEntryMissing, "entry", "0", "missing: the log starts at entry %d", i)
			} else if i != next {
				return nil, faultf(DamageEntryMissing, "entry", fmt.Sprint(next), "missing: after entry %d the log has entry %d", next-1, i)
			}
			next++
			e, decodeErr := tlog.DecodeEntry(data)
			if decodeErr == nil && e.Index != i {
				return nil, faultf(DamageEntryOrder, "entry", at, "stored at %d, says it is entry %d", i, e.Index)
			}
			hs, err := tlog.StoredHashes(i, data, mem)
			if err != nil {
				return nil, faultf(DamageHashChanged, "entry", at, "%v", err)
			}
			start := tlog.StoredHashIndex(0, i)
			var got [][32]byte
			if batch != nil {
				got = batch[start-lo : start-lo+int64(len(hs))]
			} else if got, err = readHashRange(tx, start, start+int64(len(hs))); err != nil {
				return nil, faultf(DamageHashChanged, "entry", at, "stored hashes: %v", err)
			}
			if got[0] != hs[0] {
				return nil, leafFault(tx, mem, i, got, hs)
			}
			if decodeErr != nil {
				// The stored leaf hash was recomputed to fit the new bytes.
				return nil, faultf(DamageEntryChanged, "entry", at, "%v", decodeErr)
			}
			for k := 1; k < len(hs); k++ {
				if got[k] != hs[k] {
					return nil, faultf(DamageHashChanged, "entry", at, "stored hash %d is %x, the entries give %x", start+int64(k), got[k][:], hs[k][:])
				}
			}
			if e.Time.Before(last) {
				return nil, timeFault(tx, e, last)
			}
			last = e.Time
			if err := checkSidecar(side); err != nil {
				return nil, faultf(DamageRestricted, "entry", at, "%v", err)
			}
			hashes = append(hashes, hs...)
		}
		if progress != nil {
			progress("hashes", to, n)
		}
	}
	if next != n {
		return nil, faultf(DamageEntryMissing, "entry", fmt.Sprint(next), "missing")
	}
	count, err := tx.HashCount()
	if err != nil {
		return nil, err
	}
	if want := tlog.StoredHashCount(n); count != want {
		return nil, faultf(DamageHashChanged, "hash", fmt.Sprint(want), "%d hashes stored for %d entries, want %d", count, n, want)
	}
	rep.Entries, rep.Hashes = n, count
	if n > 0 {
		if rep.Root, err = tlog.TreeHash(n, mem); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// readHashRange reads the stored hashes [lo, hi).
func readHashRange(tx truce.Tx, lo, hi int64) ([][32]byte, error) {
	idx := make([]int64, hi-lo)
	for k := range idx {
		idx[k] = lo + int64(k)
	}
	return tx.ReadHashes(idx)
}

// leafFault names what changed when entry i's bytes do not give its stored
// leaf hash: the bytes, or the hash. The hash of the pair entry i makes
// with its neighbour was computed, and stored with the pair's right entry,
// from the original bytes: when it is the hash of the bytes' leaf, the
// stored leaf was edited; when it is the hash of the stored leaf, the bytes
// were. got are entry i's stored hashes, want those its bytes give.
func leafFault(tx truce.Tx, mem *memHashes, i int64, got [][32]byte, want []tlog.Hash) error {
	var parent, fromBytes, fromStored tlog.Hash
	known := false
	if i%2 == 1 && len(got) > 1 {
		left := (*mem)[tlog.StoredHashIndex(0, i-1)]
		parent = got[1]
		fromBytes, fromStored = xtlog.NodeHash(left, want[0]), xtlog.NodeHash(left, xtlog.Hash(got[0]))
		known = true
	} else if i%2 == 0 {
		right, err := tx.ReadHashes([]int64{tlog.StoredHashIndex(0, i+1), tlog.StoredHashIndex(1, i/2)})
		if err == nil {
			parent = right[1]
			fromBytes, fromStored = xtlog.NodeHash(want[0], right[0]), xtlog.NodeHash(xtlog.Hash(got[0]), right[0])
			known = true
		}
	}
	d, why := DamageEntryOrHash, "the entry's bytes or its stored hash changed"
	switch {
	case known && parent == fromBytes:
		d, why = DamageHashChanged, "the entry is intact, its stored hash changed"
	case known && parent == fromStored:
		d, why = DamageEntryChanged, "the entry's bytes changed since it was appended"
	}
	return faultf(d, "entry", fmt.Sprint(i), "stored hash %d is %x, the entry's bytes give %x: %s",
		tlog.StoredHashIndex(0, i), got[0][:], want[0][:], why)
}

// timeFault names an entry whose time goes back: an earlier entry stored
// again (same kind, time, author and payload), or an entry whose time was
// changed. The search reads the log before it again, only on failure.
func timeFault(tx truce.Tx, e *truce.Entry, last time.Time) error {
	replayed := int64(-1)
	_ = tx.ScanEntries(0, e.Index, func(j int64, data, _ []byte) error {
		o, err := tlog.DecodeEntry(data)
		if err == nil && sameButIndex(o, e) {
			replayed = j
			return errFound
		}
		return nil
	})
	at := fmt.Sprint(e.Index)
	if replayed >= 0 {
		return faultf(DamageEntryReplayed, "entry", at, "is entry %d again (same kind, time, author and payload)", replayed)
	}
	return faultf(DamageEntryTime, "entry", at, "time %s is before the previous entry's %s",
		e.Time.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))
}

// errFound stops a scan that found what it looked for.
var errFound = errors.New("found")

func sameButIndex(a, b *truce.Entry) bool {
	if a.Kind != b.Kind || !a.Time.Equal(b.Time) || !bytes.Equal(a.Payload, b.Payload) {
		return false
	}
	if a.Author == nil || b.Author == nil {
		return a.Author == b.Author
	}
	return *a.Author == *b.Author
}

// checkSidecar checks that a stored sidecar is one truce writes: absent,
// or a non-empty Sidecar as json.Marshal encodes it. Its content is
// checked against the entry's commitments and signed note on replay; this
// catches what those would not bind: a sidecar added to an entry that has
// none, and any other encoding of the same values.
func checkSidecar(side []byte) error {
	if side == nil {
		return nil
	}
	sc, err := decodeSidecar(side)
	if err != nil {
		return err
	}
	if sc == nil || sc.Empty() {
		return fmt.Errorf("sidecar: %q holds nothing, and truce stores no empty sidecar", side)
	}
	again, err := json.Marshal(sc)
	if err != nil {
		return fmt.Errorf("sidecar: %w", err)
	}
	if !bytes.Equal(again, side) {
		return fmt.Errorf("sidecar: not in the form truce writes it")
	}
	return nil
}
