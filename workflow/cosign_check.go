package workflow

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"

	"truce"
	tlog "truce/log"
)

// Seen is a checkpoint signed by the log key that someone outside the log
// kept: a witness's cosigned checkpoint, or one in its evidence of a fork.
// Source says whose and when, for the report.
type Seen struct {
	tlog.Checkpoint
	Source string
}

// CheckSeen compares checkpoints kept outside the log with the tree its
// entries give: each must be of a size the log has, with the root the
// entries give at that size. It recomputes every hash from the entries'
// bytes, trusting no stored hash, so that a log rewritten (entries,
// hashes and checkpoints alike, re-signed with a stolen key) is caught
// against what the witnesses saw. It returns one line for each checkpoint
// that does not match, none when all do, and the log's size.
func (s *Service) CheckSeen(ctx context.Context, seen []Seen) (faults []string, size int64, err error) {
	seen = append([]Seen(nil), seen...)
	sort.SliceStable(seen, func(i, j int) bool { return seen[i].Size < seen[j].Size })
	var hashes entryHashes
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		if size, err = tx.LogSize(); err != nil {
			return err
		}
		upTo := size
		if n := len(seen); n > 0 && seen[n-1].Size < upTo {
			upTo = seen[n-1].Size
		}
		for from := int64(0); from < upTo; from += replayBatch {
			to := min(from+replayBatch, upTo)
			err := tx.ScanEntries(from, to, func(i int64, data, _ []byte) error {
				hs, err := tlog.StoredHashes(i, data, &hashes)
				if err != nil {
					return fmt.Errorf("entry %d: %w", i, err)
				}
				hashes = append(hashes, hs...)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	for _, c := range seen {
		if c.Size > size {
			faults = append(faults, fmt.Sprintf("%s: a checkpoint of size %d, root %x; this log has only %d entries: entries were removed", c.Source, c.Size, c.Root[:], size))
			continue
		}
		root := tlog.Hash(sha256.Sum256(nil))
		if c.Size > 0 {
			if root, err = tlog.TreeHash(c.Size, &hashes); err != nil {
				return nil, 0, err
			}
		}
		if root != c.Root {
			faults = append(faults, fmt.Sprintf("%s: root %x at size %d; this log's entries give %x: the log was rewritten, or forked", c.Source, c.Root[:], c.Size, root[:]))
		}
	}
	return faults, size, nil
}

// entryHashes are stored hashes recomputed from entries, by stored-hash
// index.
type entryHashes []tlog.Hash

func (h *entryHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(*h)) {
			return nil, fmt.Errorf("hash %d is beyond the recomputed tree", x)
		}
		out[i] = (*h)[x]
	}
	return out, nil
}
