package sqlstore

import (
	"database/sql"
	"errors"
	"time"

	"truce"
)

func (t *Tx) PutSession(s *truce.StoredSession) error {
	return t.Exec(`INSERT INTO sessions (id_hash, member, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`,
		s.IDHash[:], s.Member, s.CSRF, formatTime(s.Created), formatTime(s.Seen))
}

func (t *Tx) Session(idHash [32]byte) (*truce.StoredSession, error) {
	s := &truce.StoredSession{IDHash: idHash}
	var created, seen string
	err := t.QueryRow(`SELECT member, csrf, created_at, seen_at FROM sessions WHERE id_hash = ?`, idHash[:]).
		Scan(&s.Member, &s.CSRF, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, truce.Errorf(truce.ENOTFOUND, "no such session")
	} else if err != nil {
		return nil, t.errorf("session: %w", err)
	}
	if s.Created, err = t.parseTime(created); err != nil {
		return nil, err
	}
	if s.Seen, err = t.parseTime(seen); err != nil {
		return nil, err
	}
	return s, nil
}

func (t *Tx) TouchSession(idHash [32]byte, seen time.Time) error {
	return t.Exec(`UPDATE sessions SET seen_at = ? WHERE id_hash = ?`, formatTime(seen), idHash[:])
}

func (t *Tx) DeleteSession(idHash [32]byte) error {
	return t.Exec(`DELETE FROM sessions WHERE id_hash = ?`, idHash[:])
}

func (t *Tx) ExpireSessions(seenBefore, createdBefore time.Time) (int64, error) {
	res, err := t.execResult(`DELETE FROM sessions WHERE seen_at < ? OR created_at < ?`, formatTime(seenBefore), formatTime(createdBefore))
	if err != nil {
		return 0, t.errorf("expire sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.errorf("expire sessions: %w", err)
	}
	return n, nil
}

func (t *Tx) TrimSessions(member truce.MemberID, keep int) error {
	return t.Exec(`DELETE FROM sessions WHERE member = ? AND id_hash NOT IN
		(SELECT id_hash FROM sessions WHERE member = ? ORDER BY created_at DESC, id_hash LIMIT ?)`, member, member, max(keep, 0))
}
