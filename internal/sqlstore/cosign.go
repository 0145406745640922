package sqlstore

import (
	"database/sql"
	"errors"
	"slices"
	"strings"

	"truce"
)

func (t *Tx) AddCosignature(c *truce.Cosignature) error {
	if c.Witness == "" || c.Line == "" {
		return t.errorf("cosignature of size %d: witness and line are required", c.Size)
	}
	var n int
	if err := t.QueryRow(`SELECT COUNT(*) FROM checkpoints WHERE size = ?`, c.Size).Scan(&n); err != nil {
		return t.errorf("cosignature: %w", err)
	}
	if n == 0 {
		return truce.Errorf(truce.ENOTFOUND, "no checkpoint of size %d to cosign", c.Size)
	}
	return t.Exec(`INSERT INTO cosignatures (size, witness, line, received_at) VALUES (?, ?, ?, ?)`,
		c.Size, c.Witness, c.Line, formatTime(c.ReceivedAt))
}

func (t *Tx) Cosignatures(size int64) ([]truce.Cosignature, error) {
	rows, err := t.Query(`SELECT size, witness, line, received_at FROM cosignatures WHERE size = ? ORDER BY witness`, size)
	if err != nil {
		return nil, t.errorf("cosignatures: %w", err)
	}
	defer rows.Close()
	var out []truce.Cosignature
	for rows.Next() {
		var c truce.Cosignature
		var at string
		if err := rows.Scan(&c.Size, &c.Witness, &c.Line, &at); err != nil {
			return nil, t.errorf("cosignatures: %w", err)
		}
		if c.ReceivedAt, err = t.parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *Tx) LatestCosigned() (int64, error) {
	var n sql.NullInt64
	if err := t.QueryRow(`SELECT MAX(size) FROM cosignatures`).Scan(&n); err != nil {
		return 0, t.errorf("cosignatures: %w", err)
	}
	if !n.Valid {
		return 0, truce.Errorf(truce.ENOTFOUND, "no checkpoint has been cosigned")
	}
	return n.Int64, nil
}

func (t *Tx) LatestCosignedBy(witnesses []string) (int64, int, error) {
	args := make([]any, 0, len(witnesses))
	for _, w := range witnesses {
		if !slices.Contains(args, any(w)) {
			args = append(args, w)
		}
	}
	if len(args) == 0 {
		return 0, 0, truce.Errorf(truce.ENOTFOUND, "no witness named: no checkpoint cosigned by one")
	}
	var size int64
	var n int
	err := t.QueryRow(`SELECT size, COUNT(*) AS n FROM cosignatures
		WHERE witness IN (?`+strings.Repeat(`, ?`, len(args)-1)+`) AND size IN (SELECT size FROM checkpoints)
		GROUP BY size ORDER BY n DESC, size DESC LIMIT 1`, args...).Scan(&size, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, truce.Errorf(truce.ENOTFOUND, "no checkpoint has been cosigned by any of %d witnesses", len(args))
	} else if err != nil {
		return 0, 0, t.errorf("cosignatures: %w", err)
	}
	return size, n, nil
}
