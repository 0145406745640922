package workflow

import (
	"context"

	"truce"
	tlog "truce/log"
)

// Tiles (c2sp.org/tlog-tiles) are served up to the latest checkpoint: a
// client reads them only against a signed tree that spans them. A tile
// beyond it is not found; so is any tile while no checkpoint is issued.

// HashTile returns the hashes of tile t (c2sp.org/tlog-tiles). Hashes
// disclose nothing, so anyone may read them, as proofs.
func (s *Service) HashTile(ctx context.Context, t tlog.Tile) ([]byte, error) {
	if t.Level < 0 {
		return nil, NotFound("tile", t.Path())
	}
	var data []byte
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		if _, _, err := tileIn(tx, t); err != nil {
			return err
		}
		var err error
		data, err = tlog.TileData(t, cachedHashReader(s, tx, nil))
		return err
	})
	return data, err
}

// EntryBundle returns the entries tile t (Level -1) spans, as an entry
// bundle (c2sp.org/tlog-tiles). Entries carry exact coordinates: who may
// read them one by one (EntryData) may read bundles, and no one else,
// whether or not the bundle exists. A bundle holding an entry longer
// than the format allows (tlog.MaxBundledEntry) is EINVALID, naming the
// entry, which /log/entries/{index} serves.
func (s *Service) EntryBundle(ctx context.Context, viewer *truce.Member, t tlog.Tile) ([]byte, error) {
	var bundle []byte
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		if err := s.mayReadEntries(tx, viewer); err != nil {
			return err
		}
		if t.Level >= 0 {
			return NotFound("entry bundle", t.Path())
		}
		start, end, err := tileIn(tx, t)
		if err != nil {
			return err
		}
		return tx.ScanEntries(start, end, func(i int64, data, _ []byte) error {
			if bundle, err = tlog.AppendBundled(bundle, data); err != nil {
				return truce.Errorf(truce.EINVALID, "entry %d: %v; read it at /log/entries/%d", i, err, i)
			}
			return nil
		})
	})
	return bundle, err
}

// tileIn returns the entries tile t spans, when the latest checkpoint's
// tree spans them all; ENOTFOUND otherwise.
func tileIn(tx truce.Tx, t tlog.Tile) (start, end int64, err error) {
	c, err := tx.LatestCheckpoint()
	if truce.ErrorCode(err) == truce.ENOTFOUND {
		return 0, 0, NotFound("tile", t.Path())
	} else if err != nil {
		return 0, 0, err
	}
	start, end, ok := t.Leaves(c.Size)
	if !ok {
		return 0, 0, truce.Errorf(truce.ENOTFOUND, "tile %s is not in the tree of the latest checkpoint, of size %d", t.Path(), c.Size)
	}
	return start, end, nil
}
