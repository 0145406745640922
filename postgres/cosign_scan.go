package postgres

import (
	"fmt"

	"truce"
)

// ScanCosignatures reads a page at a time (see scanPage).
func (t *tx) ScanCosignatures(fn func(*truce.Cosignature) error) error {
	size, witness := int64(-1), ""
	for {
		rows, err := t.query(`SELECT size, witness, line, received_at FROM cosignatures
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
			if c.ReceivedAt, err = parseTime(at); err != nil {
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
