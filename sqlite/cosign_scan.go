package sqlite

import (
	"fmt"

	"truce"
)

func (t *tx) ScanCosignatures(fn func(*truce.Cosignature) error) error {
	rows, err := t.query(`SELECT size, witness, line, received_at FROM cosignatures ORDER BY size, witness`)
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
		if c.ReceivedAt, err = parseTime(at); err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}
