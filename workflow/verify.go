package workflow

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
)

// VerifyError names the first thing found wrong by Verify.
type VerifyError struct {
	What string // "entry", "hash", "checkpoint" or "projection"
	At   string // the entry index, checkpoint size or table row
	Err  error
}

func (e *VerifyError) Error() string { return fmt.Sprintf("%s %s: %v", e.What, e.At, e.Err) }
func (e *VerifyError) Unwrap() error { return e.Err }

// VerifyReport says what Verify checked.
type VerifyReport struct {
	Entries     int64
	Hashes      int64
	Checkpoints int
	Rows        int64
	Root        tlog.Hash
}

// Verify checks the whole store: it recomputes every Merkle hash from the
// stored entries and compares it with the stored one; checks that every
// entry is canonical, in place and not earlier than the one before; checks
// every checkpoint's signature with the log's public key, its root against
// the recomputed tree, and its consistency with the checkpoint before it;
// and replays the log into scratch, an empty store, and compares the
// replayed projections with the stored ones row by row. It returns a
// *VerifyError naming the first fault.
func (s *Service) Verify(ctx context.Context, scratch truce.Store, progress Progress) (*VerifyReport, error) {
	rep := &VerifyReport{}
	var stored [][]byte // dump of the stored projections
	check := &signatureCheck{}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		origin, err := tx.Setting(SettingOrigin)
		if err != nil {
			return &VerifyError{What: "setting", At: SettingOrigin, Err: err}
		}
		check.origin = origin
		vkey, err := tx.Setting(SettingVerifier)
		if err != nil {
			return &VerifyError{What: "setting", At: SettingVerifier, Err: err}
		}
		verifier, err := tlog.NewVerifier(vkey)
		if err != nil {
			return &VerifyError{What: "setting", At: SettingVerifier, Err: err}
		}
		hashes, err := verifyEntries(tx, rep, progress)
		if err != nil {
			return err
		}
		if err := verifyCheckpoints(tx, verifier, hashes, rep); err != nil {
			return err
		}
		return tx.DumpProjections(func(table string, row []byte) error {
			stored = append(stored, dumpLine(table, row))
			return nil
		})
	})
	if err != nil {
		return rep, err
	}
	err = scratch.Update(ctx, func(dst truce.Tx) error {
		return s.Store.View(ctx, func(src truce.Tx) error {
			_, err := replay(src, dst, check, progress)
			return err
		})
	})
	if err != nil {
		return rep, err
	}
	err = scratch.View(ctx, func(tx truce.Tx) error {
		i := 0
		err := tx.DumpProjections(func(table string, row []byte) error {
			line := dumpLine(table, row)
			if i >= len(stored) {
				return &VerifyError{What: "projection", At: fmt.Sprintf("row %d", i), Err: fmt.Errorf("replay gives %s, the store has no such row", line)}
			}
			if !bytes.Equal(stored[i], line) {
				return &VerifyError{What: "projection", At: fmt.Sprintf("row %d", i), Err: fmt.Errorf("the store has %s, replay gives %s", stored[i], line)}
			}
			i++
			return nil
		})
		if err != nil {
			return err
		}
		if i < len(stored) {
			return &VerifyError{What: "projection", At: fmt.Sprintf("row %d", i), Err: fmt.Errorf("the store has %s, which replay does not give", stored[i])}
		}
		rep.Rows = int64(i)
		return nil
	})
	return rep, err
}

// verifyEntries recomputes the tree from the stored entries, compares it
// with the stored hashes, and returns the recomputed hashes.
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
		err := tx.ScanEntries(from, to, func(i int64, data, _ []byte) error {
			if i != next {
				return &VerifyError{What: "entry", At: fmt.Sprint(next), Err: fmt.Errorf("missing")}
			}
			next++
			e, err := tlog.DecodeEntry(data)
			if err != nil {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: err}
			}
			if e.Index != i {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: fmt.Errorf("says it is entry %d", e.Index)}
			}
			if e.Time.Before(last) {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: fmt.Errorf("time %s is before the previous entry's %s", e.Time.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))}
			}
			last = e.Time
			hs, err := tlog.StoredHashes(i, data, mem)
			if err != nil {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: err}
			}
			start := tlog.StoredHashIndex(0, i)
			idx := make([]int64, len(hs))
			for k := range hs {
				idx[k] = start + int64(k)
			}
			got, err := tx.ReadHashes(idx)
			if err != nil {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: fmt.Errorf("stored hashes: %w", err)}
			}
			for k := range hs {
				if got[k] != hs[k] {
					return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: fmt.Errorf("stored hash %d is %x, the entry's bytes give %x", idx[k], got[k][:], hs[k][:])}
				}
			}
			hashes = append(hashes, hs...)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if progress != nil {
			progress("hashes", to, n)
		}
	}
	if next != n {
		return nil, &VerifyError{What: "entry", At: fmt.Sprint(next), Err: fmt.Errorf("missing")}
	}
	count, err := tx.HashCount()
	if err != nil {
		return nil, err
	}
	if want := tlog.StoredHashCount(n); count != want {
		return nil, &VerifyError{What: "hash", At: fmt.Sprint(want), Err: fmt.Errorf("%d hashes stored for %d entries, want %d", count, n, want)}
	}
	rep.Entries, rep.Hashes = n, count
	if n > 0 {
		if rep.Root, err = tlog.TreeHash(n, mem); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// verifyCheckpoints checks every stored checkpoint against the recomputed
// tree and the one before it.
func verifyCheckpoints(tx truce.Tx, verifier note.Verifier, hashes memHashes, rep *VerifyReport) error {
	mem := &hashes
	var prev *tlog.Checkpoint
	return tx.ScanCheckpoints(func(c *truce.Checkpoint) error {
		at := fmt.Sprintf("of size %d", c.Size)
		fail := func(err error) error { return &VerifyError{What: "checkpoint", At: at, Err: err} }
		cp, _, err := tlog.OpenCheckpoint([]byte(c.Note), verifier)
		if err != nil {
			return fail(err)
		}
		if cp.Size != c.Size || cp.Root != c.Root {
			return fail(fmt.Errorf("the signed note says size %d, root %x; the row says size %d, root %x", cp.Size, cp.Root[:], c.Size, c.Root[:]))
		}
		if cp.Size > rep.Entries {
			return fail(fmt.Errorf("signs %d entries, the log has %d", cp.Size, rep.Entries))
		}
		if cp.Size > 0 {
			root, err := tlog.TreeHash(cp.Size, mem)
			if err != nil {
				return fail(err)
			}
			if root != cp.Root {
				return fail(fmt.Errorf("signs root %x, the entries give %x", cp.Root[:], root[:]))
			}
		}
		if prev != nil && prev.Size > 0 {
			proof, err := tlog.ProveConsistency(prev.Size, cp.Size, mem)
			if err != nil {
				return fail(err)
			}
			if err := tlog.VerifyConsistency(uint64(prev.Size), uint64(cp.Size), prev.Root[:], cp.Root[:], tlog.Slices(proof)); err != nil {
				return fail(fmt.Errorf("not consistent with the checkpoint of size %d: %w", prev.Size, err))
			}
		}
		prev = &cp
		rep.Checkpoints++
		return nil
	})
}

// memHashes are the stored hashes of a tree recomputed in memory, by
// stored-hash index.
type memHashes []tlog.Hash

func (m *memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(*m)) {
			return nil, fmt.Errorf("hash %d is beyond the recomputed tree", x)
		}
		out[i] = (*m)[x]
	}
	return out, nil
}
