package sqlstore

import (
	"database/sql"
	"errors"
	"time"

	"truce"
)

func (t *Tx) InsertReply(r *truce.Reply) error {
	return t.Exec(`INSERT INTO replies (entry, report, text, member, organisation, made_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.Entry, r.Report, r.Text, r.Member, r.Organisation, formatTime(r.MadeAt))
}

func (t *Tx) Replies(id truce.ReportID) ([]truce.Reply, error) {
	return t.replies(`report = ?`, id)
}

// replies lists the replies where holds, in log order.
func (t *Tx) replies(where string, args ...any) ([]truce.Reply, error) {
	rows, err := t.Query(`SELECT entry, report, text, member, organisation, made_at FROM replies WHERE `+where+` ORDER BY entry`, args...)
	if err != nil {
		return nil, t.errorf("replies: %w", err)
	}
	defer rows.Close()
	var out []truce.Reply
	for rows.Next() {
		var r truce.Reply
		var made string
		if err := rows.Scan(&r.Entry, &r.Report, &r.Text, &r.Member, &r.Organisation, &made); err != nil {
			return nil, t.errorf("replies: %w", err)
		}
		if r.MadeAt, err = t.parseTime(made); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *Tx) InsertRFI(r *truce.RFI) error {
	return t.Exec(`INSERT INTO rfis (id, entry, report, from_org, sent_by, to_org, question, deadline, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Entry, r.Report, r.From, r.SentBy, r.To, r.Question, formatTime(r.Deadline), formatTime(r.SentAt))
}

func (t *Tx) AnswerRFI(id truce.RFIID, answer string, by truce.MemberID, at time.Time, entry int64) error {
	res, err := t.execResult(`UPDATE rfis SET answer = ?, answered_by = ?, answered_at = ?, answer_entry = ?
		WHERE id = ? AND answered_at = ''`, answer, by, formatTime(at), entry, id)
	if err != nil {
		return t.errorf("answer rfi: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := t.RFI(id); err != nil {
			return err
		}
		return truce.Errorf(truce.ECONFLICT, "request %s has already been answered", id)
	}
	return nil
}

const rfiColumns = `id, entry, report, from_org, sent_by, to_org, question, deadline, sent_at, answer, answered_by, answered_at, answer_entry`

func (t *Tx) scanRFI(s interface{ Scan(...any) error }) (*truce.RFI, error) {
	var r truce.RFI
	var deadline, sent, answered string
	if err := s.Scan(&r.ID, &r.Entry, &r.Report, &r.From, &r.SentBy, &r.To, &r.Question, &deadline, &sent,
		&r.Answer, &r.AnsweredBy, &answered, &r.AnswerAt); err != nil {
		return nil, err
	}
	var err error
	if r.Deadline, err = t.parseTime(deadline); err != nil {
		return nil, err
	}
	if r.SentAt, err = t.parseTime(sent); err != nil {
		return nil, err
	}
	if answered != "" {
		at, err := t.parseTime(answered)
		if err != nil {
			return nil, err
		}
		r.AnsweredAt = &at
	}
	return &r, nil
}

func (t *Tx) RFI(id truce.RFIID) (*truce.RFI, error) {
	r, err := t.scanRFI(t.QueryRow(`SELECT `+rfiColumns+` FROM rfis WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("request", id)
	} else if err != nil {
		return nil, t.errorf("rfi %s: %w", id, err)
	}
	return r, nil
}

func (t *Tx) FindRFIs(f truce.RFIFilter) ([]*truce.RFI, error) {
	var where []string
	var args []any
	switch f.State {
	case truce.RFIAnswered:
		where = append(where, `answered_at != ''`)
	case truce.RFIOpen:
		where, args = append(where, `answered_at = '' AND deadline > ?`), append(args, formatTime(f.Now))
	case truce.RFIOverdue:
		where, args = append(where, `answered_at = '' AND deadline <= ?`), append(args, formatTime(f.Now))
	}
	for _, c := range []struct {
		col string
		v   string
	}{{"to_org", string(f.To)}, {"from_org", string(f.From)}, {"report", string(f.Report)}} {
		if c.v != "" {
			where, args = append(where, c.col+` = ?`), append(args, c.v)
		}
	}
	q, args := pageQuery(`SELECT `+rfiColumns+` FROM rfis`, where, args, f.Before, f.Limit)
	rows, err := t.Query(q, args...)
	if err != nil {
		return nil, t.errorf("find rfis: %w", err)
	}
	defer rows.Close()
	var out []*truce.RFI
	for rows.Next() {
		r, err := t.scanRFI(rows)
		if err != nil {
			return nil, t.errorf("find rfis: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
