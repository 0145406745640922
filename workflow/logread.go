package workflow

import (
	"context"
	"fmt"
	"time"

	"truce"
	tlog "truce/log"
)

// IssueCheckpoint signs a checkpoint of the log when it has grown since the
// last one, and stores it. It returns the new checkpoint, or nil when the
// log has not grown.
func (s *Service) IssueCheckpoint(ctx context.Context) (*truce.Checkpoint, error) {
	if s.Signer == nil {
		return nil, fmt.Errorf("checkpoint: this service holds no log key")
	}
	var c *truce.Checkpoint
	err := s.Store.Update(ctx, func(tx truce.Tx) error {
		size, err := tx.LogSize()
		if err != nil {
			return err
		}
		last, err := tx.LatestCheckpoint()
		if err != nil && truce.ErrorCode(err) != truce.ENOTFOUND {
			return err
		}
		if last != nil && last.Size >= size {
			return nil
		}
		root, err := tlog.TreeHash(size, cachedHashReader(s, tx, nil))
		if err != nil {
			return err
		}
		msg, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: s.Signer.Name(), Size: size, Root: root}, s.Signer)
		if err != nil {
			return err
		}
		c = &truce.Checkpoint{Size: size, Root: root, Note: string(msg), IssuedAt: s.Now().UTC()}
		return tx.AddCheckpoint(c)
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return c, nil
}

// RunCheckpointer issues a checkpoint every interval while the log grows,
// until ctx is done. Failures are logged and retried at the next tick.
func (s *Service) RunCheckpointer(ctx context.Context, interval time.Duration, issued func(*truce.Checkpoint)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		c, err := s.IssueCheckpoint(ctx)
		if err != nil && ctx.Err() == nil {
			s.Logger.Error("checkpoint failed", "err", err)
		} else if c != nil {
			s.Logger.Debug("checkpoint issued", "size", c.Size)
			if issued != nil {
				issued(c)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// LatestCheckpoint returns the most recent checkpoint.
func (s *Service) LatestCheckpoint(ctx context.Context) (*truce.Checkpoint, error) {
	var c *truce.Checkpoint
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		c, err = tx.LatestCheckpoint()
		return err
	})
	return c, err
}

// LogSize returns the number of entries in the log.
func (s *Service) LogSize(ctx context.Context) (int64, error) {
	var n int64
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		n, err = tx.LogSize()
		return err
	})
	return n, err
}

// CanReadEntries reports whether a viewer may read raw log entries. Entries
// carry every coordinate exactly as filed, so only roles whose disclosure
// policy is exact may read them; everyone may read checkpoints and proofs.
func CanReadEntries(a *truce.Agreement, viewer *truce.Member) bool {
	if viewer == nil {
		return a.Disclosure[truce.RolePublic].Coordinates == truce.DiscloseExact
	}
	return a.Disclosure[viewer.Role].Coordinates == truce.DiscloseExact
}

// EntryData returns the bytes of entry index, as hashed into the log.
func (s *Service) EntryData(ctx context.Context, viewer *truce.Member, index int64) ([]byte, error) {
	var data []byte
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		if err := s.mayReadEntries(tx, viewer); err != nil {
			return err
		}
		var err error
		data, err = tx.EntryData(index)
		return err
	})
	return data, err
}

// mayReadEntries returns EFORBIDDEN (EUNAUTHORIZED for the public) unless
// viewer may read log entries (CanReadEntries).
func (s *Service) mayReadEntries(tx truce.Tx, viewer *truce.Member) error {
	a, err := s.loadAgreement(tx)
	if err != nil {
		return err
	}
	if !CanReadEntries(a, viewer) {
		return Forbidden(viewer, "read log entries, which carry exact coordinates")
	}
	return nil
}

// InclusionProof is an RFC 6962 audit path of one entry in the tree of a
// given size.
type InclusionProof struct {
	Index    int64       `json:"index"`
	Size     int64       `json:"size"`
	LeafHash tlog.Hash   `json:"leaf_hash"`
	Root     tlog.Hash   `json:"root"`
	Proof    []tlog.Hash `json:"proof"`
}

// ProveInclusion proves that entry index is in the tree of size entries.
func (s *Service) ProveInclusion(ctx context.Context, index, size int64) (*InclusionProof, error) {
	p := &InclusionProof{Index: index, Size: size}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		if size < 1 || size > n {
			return truce.Invalidf("size", "must be from 1 to the log's size, %d", n)
		}
		if index < 0 || index >= size {
			return truce.Invalidf("index", "must be from 0 to size-1, %d", size-1)
		}
		r := cachedHashReader(s, tx, nil)
		hs, err := tx.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
		if err != nil {
			return err
		}
		p.LeafHash = hs[0]
		if p.Root, err = tlog.TreeHash(size, r); err != nil {
			return err
		}
		p.Proof, err = tlog.ProveInclusion(index, size, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Proof == nil {
		p.Proof = []tlog.Hash{}
	}
	return p, nil
}

// ConsistencyProof is an RFC 6962 proof that the tree of size Old is a
// prefix of the tree of size New.
type ConsistencyProof struct {
	Old     int64       `json:"old"`
	New     int64       `json:"new"`
	OldRoot tlog.Hash   `json:"old_root"`
	NewRoot tlog.Hash   `json:"new_root"`
	Proof   []tlog.Hash `json:"proof"`
}

// ProveConsistency proves that the tree of size old is a prefix of the tree
// of size new.
func (s *Service) ProveConsistency(ctx context.Context, old, new int64) (*ConsistencyProof, error) {
	p := &ConsistencyProof{Old: old, New: new}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		if new < 1 || new > n {
			return truce.Invalidf("new", "must be from 1 to the log's size, %d", n)
		}
		if old < 1 || old > new {
			return truce.Invalidf("old", "must be from 1 to new, %d", new)
		}
		r := cachedHashReader(s, tx, nil)
		if p.OldRoot, err = tlog.TreeHash(old, r); err != nil {
			return err
		}
		if p.NewRoot, err = tlog.TreeHash(new, r); err != nil {
			return err
		}
		p.Proof, err = tlog.ProveConsistency(old, new, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Proof == nil {
		p.Proof = []tlog.Hash{}
	}
	return p, nil
}

// VerifierKey returns the log's public key, in note verifier form.
func (s *Service) VerifierKey(ctx context.Context) (string, error) {
	var k string
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		k, err = tx.Setting(SettingVerifier)
		return err
	})
	return k, err
}
