package sqlstore

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"truce"
)

func (t *Tx) LogSize() (int64, error) {
	if t.Size >= 0 {
		return t.Size, nil
	}
	var n sql.NullInt64
	if err := t.QueryRow(`SELECT MAX(idx) FROM log_entries`).Scan(&n); err != nil {
		return 0, t.errorf("log size: %w", err)
	}
	t.Size = 0
	if n.Valid {
		t.Size = n.Int64 + 1
	}
	return t.Size, nil
}

func (t *Tx) AppendEntry(index int64, data []byte, hashes [][32]byte, sidecar []byte) error {
	size, err := t.LogSize()
	if err != nil {
		return err
	}
	if index != size {
		return t.errorf("append entry %d to a log of %d entries", index, size)
	}
	if want := truce.HashesAdded(index); len(hashes) != want {
		return t.errorf("entry %d adds %d Merkle hashes, not %d", index, want, len(hashes))
	}
	blob := make([]byte, 0, 32*len(hashes))
	for i := range hashes {
		blob = append(blob, hashes[i][:]...)
	}
	if len(sidecar) == 0 {
		sidecar = nil // stored as NULL
	}
	if err := t.Exec(`INSERT INTO log_entries (idx, hashes, data, sidecar) VALUES (?, ?, ?, ?)`, index, blob, data, sidecar); err != nil {
		return err
	}
	t.Size = index + 1
	return nil
}

func (t *Tx) EntryData(index int64) ([]byte, error) {
	var data []byte
	err := t.QueryRow(`SELECT data FROM log_entries WHERE idx = ?`, index).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log entry", index)
	} else if err != nil {
		return nil, t.errorf("entry %d: %w", index, err)
	}
	return data, nil
}

func (t *Tx) Sidecar(index int64) ([]byte, error) {
	var sidecar []byte
	err := t.QueryRow(`SELECT sidecar FROM log_entries WHERE idx = ?`, index).Scan(&sidecar)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log entry", index)
	} else if err != nil {
		return nil, t.errorf("sidecar %d: %w", index, err)
	}
	return sidecar, nil
}

// ReadHashes reads each entry row that keeps a wanted hash once.
func (t *Tx) ReadHashes(indexes []int64) ([][32]byte, error) {
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
	rows, err := t.Query(q.String(), args...)
	if err != nil {
		return nil, t.errorf("read hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var leaf int64
		var blob []byte
		if err := rows.Scan(&leaf, &blob); err != nil {
			return nil, t.errorf("read hashes: %w", err)
		}
		for _, s := range byLeaf[leaf] {
			if 32*(s.pos+1) > len(blob) {
				return nil, t.errorf("entry %d keeps %d hashes, not %d", leaf, len(blob)/32, s.pos+1)
			}
			copy(out[s.at][:], blob[32*s.pos:])
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != len(args) {
		return nil, truce.Errorf(truce.ENOTFOUND, t.name+": read hashes: the entries of %d of %d stored hashes are missing", len(args)-found, len(args))
	}
	return out, nil
}

func (t *Tx) HashCount() (int64, error) {
	var n sql.NullInt64
	if err := t.QueryRow(`SELECT SUM(length(hashes)) / 32 FROM log_entries`).Scan(&n); err != nil {
		return 0, t.errorf("hash count: %w", err)
	}
	return n.Int64, nil
}

func (t *Tx) AddCheckpoint(c *truce.Checkpoint) error {
	var last sql.NullInt64
	if err := t.QueryRow(`SELECT MAX(size) FROM checkpoints`).Scan(&last); err != nil {
		return t.errorf("checkpoints: %w", err)
	}
	if last.Valid && c.Size <= last.Int64 {
		return t.errorf("checkpoint of size %d after one of size %d", c.Size, last.Int64)
	}
	return t.Exec(`INSERT INTO checkpoints (size, root, note, issued_at) VALUES (?, ?, ?, ?)`,
		c.Size, c.Root[:], c.Note, formatTime(c.IssuedAt))
}

func (t *Tx) LatestCheckpoint() (*truce.Checkpoint, error) {
	rows, err := t.Query(`SELECT size, root, note, issued_at FROM checkpoints ORDER BY size DESC LIMIT 1`)
	if err != nil {
		return nil, t.errorf("latest checkpoint: %w", err)
	}
	var latest *truce.Checkpoint
	err = t.CheckpointRows(rows, func(c *truce.Checkpoint) error { latest = c; return nil })
	if err != nil {
		return nil, err
	}
	if latest == nil {
		return nil, truce.Errorf(truce.ENOTFOUND, "no checkpoint has been issued")
	}
	return latest, nil
}

// CheckpointRows reads rows of checkpoints (size, root, note, issued_at),
// calling fn for each as it reads: on a connection that runs one query at
// a time, fn must not query.
func (t *Tx) CheckpointRows(rows *sql.Rows, fn func(*truce.Checkpoint) error) error {
	defer rows.Close()
	for rows.Next() {
		var c truce.Checkpoint
		var root []byte
		var issued string
		if err := rows.Scan(&c.Size, &root, &c.Note, &issued); err != nil {
			return t.errorf("checkpoints: %w", err)
		}
		copy(c.Root[:], root)
		var err error
		if c.IssuedAt, err = t.parseTime(issued); err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *Tx) Setting(key string) (string, error) {
	var v string
	err := t.QueryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("setting", key)
	} else if err != nil {
		return "", t.errorf("setting %s: %w", key, err)
	}
	return v, nil
}

func (t *Tx) PutSetting(key, value string) error {
	return t.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, key, value)
}

func (t *Tx) AddCredential(tokenHash [32]byte, member truce.MemberID, created time.Time) error {
	return t.Exec(`INSERT INTO credentials (token_hash, member, created_at) VALUES (?, ?, ?)`,
		tokenHash[:], member, formatTime(created))
}

func (t *Tx) MemberByCredential(tokenHash [32]byte) (*truce.Member, error) {
	var id string
	err := t.QueryRow(`SELECT member FROM credentials WHERE token_hash = ?`, tokenHash[:]).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, truce.Errorf(truce.EUNAUTHORIZED, "the token matches no member")
	} else if err != nil {
		return nil, t.errorf("credential: %w", err)
	}
	return t.Member(truce.MemberID(id))
}

func (t *Tx) Response(member truce.MemberID, key string) (*truce.StoredResponse, error) {
	r := &truce.StoredResponse{Member: member, Key: key}
	var fp []byte
	var created string
	err := t.QueryRow(`SELECT fingerprint, body, entry, created_at FROM responses WHERE member = ? AND key = ?`, member, key).
		Scan(&fp, &r.Body, &r.Entry, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("response", key)
	} else if err != nil {
		return nil, t.errorf("response: %w", err)
	}
	copy(r.Fingerprint[:], fp)
	if r.Created, err = t.parseTime(created); err != nil {
		return nil, err
	}
	return r, nil
}

func (t *Tx) PutResponse(r *truce.StoredResponse) error {
	return t.Exec(`INSERT INTO responses (member, key, fingerprint, body, entry, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.Member, r.Key, r.Fingerprint[:], r.Body, r.Entry, formatTime(r.Created))
}
