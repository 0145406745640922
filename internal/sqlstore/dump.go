package sqlstore

import (
	"database/sql"
	"encoding/base64"

	"truce/log"
)

// A store dumps its projections (truce.Tx.DumpProjections) in its own order
// and pace; both write each row with these two, so that a row has one
// encoding whatever store holds it.

// DumpRow reads the row rows is on as a map of its columns (cols, as
// rows.Columns gives them), each value as the driver gives it.
func (t *Tx) DumpRow(table string, rows *sql.Rows, cols []string) (map[string]any, error) {
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, t.errorf("dump %s: %w", table, err)
	}
	row := make(map[string]any, len(cols))
	for i, c := range cols {
		row[c] = vals[i]
	}
	return row, nil
}

// DumpJSON writes a row as a JSON object of its columns: integers and reals
// as numbers, text as strings, blobs as base64 strings, NULL as null, in
// the canonical JSON of package log. It replaces row's blobs with their
// base64.
func (t *Tx) DumpJSON(table string, row map[string]any) ([]byte, error) {
	for c, v := range row {
		if b, ok := v.([]byte); ok {
			row[c] = base64.StdEncoding.EncodeToString(b)
		}
	}
	b, err := log.Canonical(row)
	if err != nil {
		return nil, t.errorf("dump %s: %w", table, err)
	}
	return b, nil
}
