package sqlite

import (
	"database/sql"
	"fmt"

	"truce"
)

// The reads this store does its own way: scans stream their rows to the
// callback, which may query the same transaction (SQLite runs statements
// side by side on one connection), and one statement of SQLite's dialect.

// projectionTables are the tables `truce rebuild` recreates, in dump order.
var projectionTables = []string{
	"accessions", "agreement", "assessments", "evidence", "meeting_decisions", "meetings",
	"member_keys", "members", "position_assessments", "positions", "replies", "report_classifications", "reports", "rfis", "zones",
}

func (t *tx) ScanEntries(from, to int64, fn func(int64, []byte, []byte) error) error {
	rows, err := t.Query(`SELECT idx, data, sidecar FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx`, from, to)
	if err != nil {
		return fmt.Errorf("sqlite: scan entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var data, sidecar []byte
		if err := rows.Scan(&i, &data, &sidecar); err != nil {
			return fmt.Errorf("sqlite: scan entries: %w", err)
		}
		if err := fn(i, data, sidecar); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *tx) ScanCheckpoints(fn func(*truce.Checkpoint) error) error {
	rows, err := t.Query(`SELECT size, root, note, issued_at FROM checkpoints ORDER BY size`)
	if err != nil {
		return fmt.Errorf("sqlite: checkpoints: %w", err)
	}
	return t.CheckpointRows(rows, fn)
}

func (t *tx) ScanCosignatures(fn func(*truce.Cosignature) error) error {
	rows, err := t.Query(`SELECT size, witness, line, received_at FROM cosignatures ORDER BY size, witness`)
	if err != nil {
		return fmt.Errorf("sqlite: cosignatures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c truce.Cosignature
		var at string
		if err := rows.Scan(&c.Size, &c.Witness, &c.Line, &at); err != nil {
			return fmt.Errorf("sqlite: cosignatures: %w", err)
		}
		if c.ReceivedAt, err = t.ParseTime(at); err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DumpProjections writes each row as a JSON object of its columns: integers
// and reals as numbers, text as strings, blobs as base64 strings, NULL as
// null, in the canonical JSON of package log, so that each row has one
// encoding whatever store holds it.
func (t *tx) DumpProjections(fn func(table string, row []byte) error) error {
	for _, table := range projectionTables {
		if err := t.dumpTable(table, fn); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) dumpTable(table string, fn func(string, []byte) error) error {
	rows, err := t.Query(`SELECT * FROM ` + table + ` ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("sqlite: dump %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		row, err := t.DumpRow(table, rows, cols)
		if err != nil {
			return err
		}
		b, err := t.DumpJSON(table, row)
		if err != nil {
			return err
		}
		if err := fn(table, b); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *tx) EvidenceBytes(org truce.ActorID) (int64, error) {
	var n sql.NullInt64
	err := t.QueryRow(`SELECT SUM(size) FROM (SELECT DISTINCT sha256, size FROM evidence WHERE organisation = ?)`, org).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: evidence bytes: %w", err)
	}
	return n.Int64, nil
}
