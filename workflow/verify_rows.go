package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"truce"
	"truce/evidence"
)

// dumpRow is a row of DumpProjections.
type dumpRow struct {
	table string
	row   []byte
}

// errStop ends a dump whose reader has stopped reading.
var errStop = errors.New("stopped")

// compareProjections compares the projections of stored and replayed row
// by row, as both dump them in the same order, without holding either in
// memory: replayed is dumped by another goroutine, in batches. It returns
// the evidence files the projections name.
func compareProjections(stored, replayed truce.Tx, rep *VerifyReport) ([]string, error) {
	batches := make(chan []dumpRow, 4)
	done := make(chan struct{})
	var dumpErr error
	go func() {
		defer close(batches)
		var batch []dumpRow
		dumpErr = replayed.DumpProjections(func(table string, row []byte) error {
			batch = append(batch, dumpRow{table, row})
			if len(batch) < 256 {
				return nil
			}
			select {
			case batches <- batch:
				batch = nil
				return nil
			case <-done:
				return errStop
			}
		})
		if dumpErr == nil && len(batch) > 0 {
			select {
			case batches <- batch:
			case <-done:
			}
		}
	}()
	defer func() {
		close(done)
		for range batches {
		}
	}()
	var pending []dumpRow
	next := func() (dumpRow, bool, error) {
		if len(pending) == 0 {
			b, ok := <-batches
			if !ok {
				return dumpRow{}, false, dumpErr
			}
			pending = b
		}
		r := pending[0]
		pending = pending[1:]
		return r, true, nil
	}

	files := map[string]bool{}
	var i int64
	err := stored.DumpProjections(func(table string, row []byte) error {
		r, ok, err := next()
		if err != nil {
			return err
		}
		at := fmt.Sprint(i)
		if !ok {
			return faultf(DamageProjection, "projection row", at, "table %s: the store has %s, which replay does not give", table, clip(row))
		}
		if r.table != table || !bytes.Equal(r.row, row) {
			return faultf(DamageProjection, "projection row", at, "%s", rowDiff(table, row, r))
		}
		if table == "evidence" {
			var ev struct {
				SHA256 string `json:"sha256"`
			}
			if json.Unmarshal(row, &ev) == nil && ev.SHA256 != "" {
				files[ev.SHA256] = true
			}
		}
		i++
		return nil
	})
	if err != nil {
		return nil, err
	}
	r, ok, err := next()
	if err != nil {
		return nil, err
	}
	if ok {
		return nil, faultf(DamageProjection, "projection row", fmt.Sprint(i), "table %s: replay gives %s, the store has no such row", r.table, clip(r.row))
	}
	rep.Rows = i
	list := make([]string, 0, len(files))
	for f := range files {
		list = append(list, f)
	}
	slices.Sort(list)
	return list, nil
}

// rowDiff says how a stored row differs from the replayed one: a row one
// side has and the other has not, or the columns that differ.
func rowDiff(table string, row []byte, r dumpRow) string {
	switch {
	case r.table < table:
		return fmt.Sprintf("table %s: replay gives %s, the store has no such row", r.table, clip(r.row))
	case r.table > table:
		return fmt.Sprintf("table %s: the store has %s, which replay does not give", table, clip(row))
	}
	var got, want map[string]any
	if json.Unmarshal(row, &got) != nil || json.Unmarshal(r.row, &want) != nil {
		return fmt.Sprintf("table %s: the store has %s, replay gives %s", table, clip(row), clip(r.row))
	}
	if rowKey(got) != rowKey(want) {
		return fmt.Sprintf("table %s: the store has the row of %s, replay gives the row of %s", table, rowKey(got), rowKey(want))
	}
	var cols []string
	for c := range got {
		if _, ok := want[c]; !ok {
			cols = append(cols, c)
		}
	}
	for c := range want {
		a, _ := json.Marshal(got[c])
		b, _ := json.Marshal(want[c])
		if _, ok := got[c]; !ok || !bytes.Equal(a, b) {
			cols = append(cols, c)
		}
	}
	slices.Sort(cols)
	var b strings.Builder
	fmt.Fprintf(&b, "table %s, row of %s:", table, rowKey(got))
	for k, c := range cols {
		if k > 0 {
			b.WriteByte(';')
		}
		g, _ := json.Marshal(got[c])
		w, _ := json.Marshal(want[c])
		fmt.Fprintf(&b, " column %s is %s, replay gives %s", c, clip(g), clip(w))
	}
	return b.String()
}

// rowKey names a row by the column that identifies it in its table.
func rowKey(m map[string]any) string {
	for _, c := range []string{"id", "key"} {
		if v, ok := m[c]; ok {
			return fmt.Sprintf("%s %v", c, v)
		}
	}
	s := ""
	for _, c := range []string{"report", "position", "member", "entry"} {
		if v, ok := m[c]; ok {
			s = fmt.Sprintf("%s %v", c, v) // the last one, entry, identifies
		}
	}
	return s
}

// clip shortens a value for a message.
func clip(b []byte) string {
	const max = 160
	if len(b) <= max {
		return string(b)
	}
	return string(b[:max]) + "…"
}

// verifyEvidence hashes every evidence file the log records again.
func (s *Service) verifyEvidence(files []string, rep *VerifyReport, progress Progress) error {
	if s.Evidence == nil {
		return nil
	}
	for k, f := range files {
		err := s.Evidence.Verify(f)
		switch {
		case truce.ErrorCode(err) == truce.ENOTFOUND:
			return faultf(DamageEvidenceMissing, "evidence", "file "+f, "the log records it, the data directory does not have it")
		case errors.Is(err, evidence.ErrCorrupt):
			return faultf(DamageEvidenceChanged, "evidence", "file "+f, "%v", err)
		case err != nil:
			return err
		}
		rep.Evidence++
		if progress != nil && ((k+1)%100 == 0 || k+1 == len(files)) {
			progress("evidence", int64(k+1), int64(len(files)))
		}
	}
	return nil
}
