package postgres

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"truce"
)

func (t *tx) LogSize() (int64, error) {
	if t.size >= 0 {
		return t.size, nil
	}
	var n sql.NullInt64
	if err := t.queryRow(`SELECT MAX(idx) FROM log_entries`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: log size: %w", err)
	}
	t.size = 0
	if n.Valid {
		t.size = n.Int64 + 1
	}
	return t.size, nil
}

func (t *tx) AppendEntry(index int64, data []byte, hashes [][32]byte, sidecar []byte) error {
	size, err := t.LogSize()
	if err != nil {
		return err
	}
	if index != size {
		return fmt.Errorf("postgres: append entry %d to a log of %d entries", index, size)
	}
	if want := truce.HashesAdded(index); len(hashes) != want {
		return fmt.Errorf("postgres: entry %d adds %d Merkle hashes, not %d", index, want, len(hashes))
	}
	blob := make([]byte, 0, 32*len(hashes))
	for i := range hashes {
		blob = append(blob, hashes[i][:]...)
	}
	if len(sidecar) == 0 {
		sidecar = nil // stored as NULL
	}
	if err := t.exec(`INSERT INTO log_entries (idx, hashes, data, sidecar) VALUES (?, ?, ?, ?)`, index, blob, data, sidecar); err != nil {
		return err
	}
	t.size = index + 1
	return nil
}

func (t *tx) EntryData(index int64) ([]byte, error) {
	var data []byte
	err := t.queryRow(`SELECT data FROM log_entries WHERE idx = ?`, index).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log entry", index)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: entry %d: %w", index, err)
	}
	return data, nil
}

func (t *tx) Sidecar(index int64) ([]byte, error) {
	var sidecar []byte
	err := t.queryRow(`SELECT sidecar FROM log_entries WHERE idx = ?`, index).Scan(&sidecar)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log entry", index)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: sidecar %d: %w", index, err)
	}
	return sidecar, nil
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
		rows, err := t.query(`SELECT idx, data, sidecar FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx`, lo, hi)
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

// ReadHashes reads each entry row that keeps a wanted hash once.
func (t *tx) ReadHashes(indexes []int64) ([][32]byte, error) {
	out := make([][32]byte, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	type slot struct {
		at  int // position in out
		pos int // position in the entry's hashes
	}
	byLeaf := make(map[int64][]slot, len(indexes))
	var q strings.Builder
	q.WriteString(`SELECT idx, hashes FROM log_entries WHERE idx IN (`)
	args := make([]any, 0, len(indexes))
	for i, x := range indexes {
		if x < 0 {
			return nil, notFound("stored hash", x)
		}
		leaf, pos := truce.HashSlot(x)
		if _, ok := byLeaf[leaf]; !ok {
			if len(args) > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('?')
			args = append(args, leaf)
		}
		byLeaf[leaf] = append(byLeaf[leaf], slot{i, pos})
	}
	q.WriteByte(')')
	rows, err := t.query(q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: read hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var leaf int64
		var blob []byte
		if err := rows.Scan(&leaf, &blob); err != nil {
			return nil, fmt.Errorf("postgres: read hashes: %w", err)
		}
		for _, s := range byLeaf[leaf] {
			if 32*(s.pos+1) > len(blob) {
				return nil, fmt.Errorf("postgres: entry %d keeps %d hashes, not %d", leaf, len(blob)/32, s.pos+1)
			}
			copy(out[s.at][:], blob[32*s.pos:])
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != len(args) {
		return nil, truce.Errorf(truce.ENOTFOUND, "postgres: read hashes: the entries of %d of %d stored hashes are missing", len(args)-found, len(args))
	}
	return out, nil
}

func (t *tx) HashCount() (int64, error) {
	var n sql.NullInt64
	if err := t.queryRow(`SELECT SUM(length(hashes)) / 32 FROM log_entries`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: hash count: %w", err)
	}
	return n.Int64, nil
}

func (t *tx) AddCheckpoint(c *truce.Checkpoint) error {
	var last sql.NullInt64
	if err := t.queryRow(`SELECT MAX(size) FROM checkpoints`).Scan(&last); err != nil {
		return fmt.Errorf("postgres: checkpoints: %w", err)
	}
	if last.Valid && c.Size <= last.Int64 {
		return fmt.Errorf("postgres: checkpoint of size %d after one of size %d", c.Size, last.Int64)
	}
	return t.exec(`INSERT INTO checkpoints (size, root, note, issued_at) VALUES (?, ?, ?, ?)`,
		c.Size, c.Root[:], c.Note, formatTime(c.IssuedAt))
}

func (t *tx) LatestCheckpoint() (*truce.Checkpoint, error) {
	rows, err := t.query(`SELECT size, root, note, issued_at FROM checkpoints ORDER BY size DESC LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("postgres: latest checkpoint: %w", err)
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
	after := int64(-1)
	for {
		rows, err := t.query(`SELECT size, root, note, issued_at FROM checkpoints WHERE size > ? ORDER BY size LIMIT ?`, after, scanPage)
		if err != nil {
			return fmt.Errorf("postgres: checkpoints: %w", err)
		}
		var page []*truce.Checkpoint
		if err := scanCheckpoints(rows, func(c *truce.Checkpoint) error { page = append(page, c); return nil }); err != nil {
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

// scanCheckpoints reads rows of checkpoints, calling fn for each as it
// reads: fn must not query.
func scanCheckpoints(rows *sql.Rows, fn func(*truce.Checkpoint) error) error {
	defer rows.Close()
	for rows.Next() {
		var c truce.Checkpoint
		var root []byte
		var issued string
		if err := rows.Scan(&c.Size, &root, &c.Note, &issued); err != nil {
			return fmt.Errorf("postgres: checkpoints: %w", err)
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
	err := t.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("setting", key)
	} else if err != nil {
		return "", fmt.Errorf("postgres: setting %s: %w", key, err)
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
	err := t.queryRow(`SELECT member FROM credentials WHERE token_hash = ?`, tokenHash[:]).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, truce.Errorf(truce.EUNAUTHORIZED, "the token matches no member")
	} else if err != nil {
		return nil, fmt.Errorf("postgres: credential: %w", err)
	}
	return t.Member(truce.MemberID(id))
}

func (t *tx) Response(member truce.MemberID, key string) (*truce.StoredResponse, error) {
	r := &truce.StoredResponse{Member: member, Key: key}
	var fp []byte
	var created string
	err := t.queryRow(`SELECT fingerprint, body, entry, created_at FROM responses WHERE member = ? AND key = ?`, member, key).
		Scan(&fp, &r.Body, &r.Entry, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("response", key)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: response: %w", err)
	}
	copy(r.Fingerprint[:], fp)
	if r.Created, err = parseTime(created); err != nil {
		return nil, err
	}
	return r, nil
}

func (t *tx) PutResponse(r *truce.StoredResponse) error {
	return t.exec(`INSERT INTO responses (member, key, fingerprint, body, entry, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.Member, r.Key, r.Fingerprint[:], r.Body, r.Entry, formatTime(r.Created))
}
