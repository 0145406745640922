package postgres

import (
	"database/sql"
	"fmt"
	"strings"

	"truce"
)

// The reads this store does its own way: scans read a page at a time (see
// scanPage), in key order, and one statement of PostgreSQL's dialect.

// projectionTables are the tables `truce rebuild` recreates, in dump order,
// with the columns of their primary key, in which rows are dumped.
var projectionTables = []struct{ name, key string }{
	{"accessions", "id"}, {"agreement", "id"}, {"assessments", "entry"}, {"evidence", "entry"},
	{"meeting_decisions", "key"}, {"meetings", "id"}, {"member_keys", "member"}, {"members", "id"},
	{"position_assessments", "entry"}, {"positions", "id"}, {"replies", "entry"},
	{"report_classifications", "report, entry"}, {"reports", "id"}, {"rfis", "id"}, {"zones", "id"},
}

// scanPage is how many rows a scan reads before it calls back: a
// connection runs one query at a time, and callbacks may query the same
// transaction, so a scan reads a page, closes it, then calls back.
const scanPage = 512

func (t *tx) ScanEntries(from, to int64, fn func(int64, []byte, []byte) error) error {
	type entry struct {
		i             int64
		data, sidecar []byte
	}
	for lo := from; lo < to; lo += scanPage {
		hi := min(lo+scanPage, to)
		page := make([]entry, 0, hi-lo)
		rows, err := t.Query(`SELECT idx, data, sidecar FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx`, lo, hi)
		if err != nil {
			return fmt.Errorf("postgres: scan entries: %w", err)
		}
		for rows.Next() {
			var e entry
			if err := rows.Scan(&e.i, &e.data, &e.sidecar); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: scan entries: %w", err)
			}
			page = append(page, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: scan entries: %w", err)
		}
		for _, e := range page {
			if err := fn(e.i, e.data, e.sidecar); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *tx) ScanCheckpoints(fn func(*truce.Checkpoint) error) error {
	after := int64(-1)
	for {
		rows, err := t.Query(`SELECT size, root, note, issued_at FROM checkpoints WHERE size > ? ORDER BY size LIMIT ?`, after, scanPage)
		if err != nil {
			return fmt.Errorf("postgres: checkpoints: %w", err)
		}
		var page []*truce.Checkpoint
		if err := t.CheckpointRows(rows, func(c *truce.Checkpoint) error { page = append(page, c); return nil }); err != nil {
			return err
		}
		for _, c := range page {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(page) < scanPage {
			return nil
		}
		after = page[len(page)-1].Size
	}
}

// ScanCosignatures reads a page at a time (see scanPage).
func (t *tx) ScanCosignatures(fn func(*truce.Cosignature) error) error {
	size, witness := int64(-1), ""
	for {
		rows, err := t.Query(`SELECT size, witness, line, received_at FROM cosignatures
			WHERE (size, witness) > (?, ?) ORDER BY size, witness LIMIT ?`, size, witness, scanPage)
		if err != nil {
			return fmt.Errorf("postgres: cosignatures: %w", err)
		}
		var page []truce.Cosignature
		for rows.Next() {
			var c truce.Cosignature
			var at string
			if err := rows.Scan(&c.Size, &c.Witness, &c.Line, &at); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: cosignatures: %w", err)
			}
			if c.ReceivedAt, err = t.ParseTime(at); err != nil {
				rows.Close()
				return err
			}
			page = append(page, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: cosignatures: %w", err)
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < scanPage {
			return nil
		}
		size, witness = page[len(page)-1].Size, page[len(page)-1].Witness
	}
}

// DumpProjections writes each row as a JSON object of its columns: integers
// and reals as numbers, text as strings, blobs as base64 strings, NULL as
// null, in the canonical JSON of package log, so that each row has one
// encoding whatever store holds it.
func (t *tx) DumpProjections(fn func(table string, row []byte) error) error {
	for _, table := range projectionTables {
		if err := t.dumpTable(table.name, table.key, fn); err != nil {
			return err
		}
	}
	return nil
}

// dumpTable dumps a table a page at a time, in key order (see scanPage).
func (t *tx) dumpTable(table, key string, fn func(string, []byte) error) error {
	keys := strings.Split(key, ", ")
	var last []any // the key of the last row dumped
	for {
		q, args := `SELECT * FROM `+table, []any{}
		if last != nil {
			q += ` WHERE (` + key + `) > (?` + strings.Repeat(`, ?`, len(keys)-1) + `)`
			args = append(args, last...)
		}
		q, args = q+` ORDER BY `+key+` LIMIT ?`, append(args, scanPage)
		page, err := t.dumpPage(table, q, args, keys, &last)
		if err != nil {
			return err
		}
		for _, b := range page {
			if err := fn(table, b); err != nil {
				return err
			}
		}
		if len(page) < scanPage {
			return nil
		}
	}
}

// dumpPage reads one page of a dump, each row as canonical JSON, and sets
// last to the key of its last row.
func (t *tx) dumpPage(table, q string, args []any, keys []string, last *[]any) ([][]byte, error) {
	rows, err := t.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: dump %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var page [][]byte
	for rows.Next() {
		row, err := t.DumpRow(table, rows, cols)
		if err != nil {
			return nil, err
		}
		*last = (*last)[:0]
		for _, k := range keys {
			*last = append(*last, row[k])
		}
		b, err := t.DumpJSON(table, row)
		if err != nil {
			return nil, err
		}
		page = append(page, b)
	}
	return page, rows.Err()
}

func (t *tx) EvidenceBytes(org truce.ActorID) (int64, error) {
	var n sql.NullInt64
	err := t.QueryRow(`SELECT SUM(size)::BIGINT FROM (SELECT DISTINCT sha256, size FROM evidence WHERE organisation = ?) AS d`, org).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: evidence bytes: %w", err)
	}
	return n.Int64, nil
}
