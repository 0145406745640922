package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"truce"
)

func (t *tx) LogSize() (int64, error) {
	var n sql.NullInt64
	if err := t.tx.QueryRowContext(t.ctx, `SELECT MAX(idx) FROM log_entries`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: log size: %w", err)
	}
	if !n.Valid {
		return 0, nil
	}
	return n.Int64 + 1, nil
}

func (t *tx) AppendEntry(index int64, data []byte) error {
	size, err := t.LogSize()
	if err != nil {
		return err
	}
	if index != size {
		return fmt.Errorf("sqlite: append entry %d to a log of %d entries", index, size)
	}
	return t.exec(`INSERT INTO log_entries (idx, data) VALUES (?, ?)`, index, data)
}

func (t *tx) EntryData(index int64) ([]byte, error) {
	var data []byte
	err := t.tx.QueryRowContext(t.ctx, `SELECT data FROM log_entries WHERE idx = ?`, index).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log entry", index)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: entry %d: %w", index, err)
	}
	return data, nil
}

func (t *tx) ScanEntries(from, to int64, fn func(int64, []byte) error) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT idx, data FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx`, from, to)
	if err != nil {
		return fmt.Errorf("sqlite: scan entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var data []byte
		if err := rows.Scan(&i, &data); err != nil {
			return fmt.Errorf("sqlite: scan entries: %w", err)
		}
		if err := fn(i, data); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *tx) WriteHashes(start int64, hashes [][32]byte) error {
	if len(hashes) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO log_hashes (id, hash) VALUES `)
	args := make([]any, 0, 2*len(hashes))
	for i := range hashes {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?,?)")
		args = append(args, start+int64(i), hashes[i][:])
	}
	return t.exec(q.String(), args...)
}

func (t *tx) ReadHashes(indexes []int64) ([][32]byte, error) {
	out := make([][32]byte, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	pos := make(map[int64][]int, len(indexes))
	var q strings.Builder
	q.WriteString(`SELECT id, hash FROM log_hashes WHERE id IN (`)
	args := make([]any, 0, len(indexes))
	for i, x := range indexes {
		if _, ok := pos[x]; !ok {
			if len(args) > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('?')
			args = append(args, x)
		}
		pos[x] = append(pos[x], i)
	}
	q.WriteByte(')')
	rows, err := t.tx.QueryContext(t.ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var id int64
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return nil, fmt.Errorf("sqlite: read hashes: %w", err)
		}
		for _, i := range pos[id] {
			copy(out[i][:], h)
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != len(args) {
		return nil, truce.Errorf(truce.ENOTFOUND, "%d of %d stored hashes not found", len(args)-found, len(args))
	}
	return out, nil
}

func (t *tx) HashCount() (int64, error) {
	var n sql.NullInt64
	if err := t.tx.QueryRowContext(t.ctx, `SELECT MAX(id) FROM log_hashes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: hash count: %w", err)
	}
	if !n.Valid {
		return 0, nil
	}
	return n.Int64 + 1, nil
}

func (t *tx) AddCheckpoint(c *truce.Checkpoint) error {
	var last sql.NullInt64
	if err := t.tx.QueryRowContext(t.ctx, `SELECT MAX(size) FROM checkpoints`).Scan(&last); err != nil {
		return fmt.Errorf("sqlite: checkpoints: %w", err)
	}
	if last.Valid && c.Size <= last.Int64 {
		return fmt.Errorf("sqlite: checkpoint of size %d after one of size %d", c.Size, last.Int64)
	}
	return t.exec(`INSERT INTO checkpoints (size, root, note, issued_at) VALUES (?, ?, ?, ?)`,
		c.Size, c.Root[:], c.Note, formatTime(c.IssuedAt))
}

func (t *tx) LatestCheckpoint() (*truce.Checkpoint, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT size, root, note, issued_at FROM checkpoints ORDER BY size DESC LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: latest checkpoint: %w", err)
	}
	var latest *truce.Checkpoint
	err = scanCheckpoints(rows, func(c *truce.Checkpoint) error { latest = c; return nil })
	if err != nil {
		return nil, err
	}
	if latest == nil {
		return nil, truce.Errorf(truce.ENOTFOUND, "no checkpoint has been issued")
	}
	return latest, nil
}

func (t *tx) ScanCheckpoints(fn func(*truce.Checkpoint) error) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT size, root, note, issued_at FROM checkpoints ORDER BY size`)
	if err != nil {
		return fmt.Errorf("sqlite: checkpoints: %w", err)
	}
	return scanCheckpoints(rows, fn)
}

func scanCheckpoints(rows *sql.Rows, fn func(*truce.Checkpoint) error) error {
	defer rows.Close()
	for rows.Next() {
		var c truce.Checkpoint
		var root []byte
		var issued string
		if err := rows.Scan(&c.Size, &root, &c.Note, &issued); err != nil {
			return fmt.Errorf("sqlite: checkpoints: %w", err)
		}
		copy(c.Root[:], root)
		var err error
		if c.IssuedAt, err = parseTime(issued); err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *tx) Setting(key string) (string, error) {
	var v string
	err := t.tx.QueryRowContext(t.ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("setting", key)
	} else if err != nil {
		return "", fmt.Errorf("sqlite: setting %s: %w", key, err)
	}
	return v, nil
}

func (t *tx) PutSetting(key, value string) error {
	return t.exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, key, value)
}

func (t *tx) AddCredential(tokenHash [32]byte, member truce.MemberID, created time.Time) error {
	return t.exec(`INSERT INTO credentials (token_hash, member, created_at) VALUES (?, ?, ?)`,
		tokenHash[:], member, formatTime(created))
}

func (t *tx) MemberByCredential(tokenHash [32]byte) (*truce.Member, error) {
	var id string
	err := t.tx.QueryRowContext(t.ctx, `SELECT member FROM credentials WHERE token_hash = ?`, tokenHash[:]).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, truce.Errorf(truce.EUNAUTHORIZED, "the token matches no member")
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: credential: %w", err)
	}
	return t.Member(truce.MemberID(id))
}
