package workflow

import (
	"bytes"
	"context"
	"fmt"

	"truce"
	tlog "truce/log"
)

// replayBatch is how many entries are read before they are applied: a
// transaction reads a batch, then writes its rows.
const replayBatch = 1000

// Progress is told how far a long operation has come.
type Progress func(step string, done, total int64)

// Rebuild empties the projections and replays the whole log into them, in
// one transaction: a failure leaves the database as it was.
func (s *Service) Rebuild(ctx context.Context, progress Progress) error {
	err := s.Store.Update(ctx, func(tx truce.Tx) error {
		if err := tx.ResetProjections(); err != nil {
			return err
		}
		_, err := replay(tx, tx, nil, progress)
		return err
	})
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	s.mu.Lock()
	s.agreement = nil
	s.mu.Unlock()
	return nil
}

// replay applies every entry read from src to the projections of dst.
// With check, it also checks every member's entry against the member's
// signing key.
func replay(src truce.LogTx, dst truce.Tx, check *signatureCheck, progress Progress) (int64, error) {
	n, err := src.LogSize()
	if err != nil {
		return 0, err
	}
	a := &applier{signatures: check}
	for from := int64(0); from < n; from += replayBatch {
		type item struct {
			e       *truce.Entry
			sidecar *truce.Sidecar
		}
		var batch []item
		err := src.ScanEntries(from, min(from+replayBatch, n), func(i int64, data, side []byte) error {
			e, err := tlog.DecodeEntry(data)
			if err != nil {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: err}
			}
			if e.Index != i {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: fmt.Errorf("says it is entry %d", e.Index)}
			}
			sc, err := decodeSidecar(side)
			if err != nil {
				return &VerifyError{What: "entry", At: fmt.Sprint(i), Err: err}
			}
			batch = append(batch, item{e, sc})
			return nil
		})
		if err != nil {
			return 0, err
		}
		for _, it := range batch {
			if err := a.apply(dst, it.e, it.sidecar, nil); err != nil {
				return 0, &VerifyError{What: "entry", At: fmt.Sprint(it.e.Index), Err: err}
			}
		}
		if progress != nil {
			progress("replay", from+int64(len(batch)), n)
		}
	}
	return n, nil
}

// Dump writes every projection row, one per line as "table<TAB>json", in
// table order and primary-key order: two databases with the same
// projections have the same dump.
func (s *Service) Dump(ctx context.Context, w func(line []byte) error) error {
	return s.Store.View(ctx, func(tx truce.Tx) error {
		return tx.DumpProjections(func(table string, row []byte) error {
			return w(dumpLine(table, row))
		})
	})
}

func dumpLine(table string, row []byte) []byte {
	var b bytes.Buffer
	b.WriteString(table)
	b.WriteByte('\t')
	b.Write(row)
	return b.Bytes()
}
