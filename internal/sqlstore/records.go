package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"truce"
)

func (t *Tx) InsertEvidence(e *truce.Evidence) error {
	return t.Exec(`INSERT INTO evidence (entry, report, sha256, size, media_type, member, organisation, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Entry, e.Report, e.SHA256, e.Size, e.MediaType, e.Member, e.Organisation, formatTime(e.AddedAt))
}

func (t *Tx) Evidence(id truce.ReportID) ([]truce.Evidence, error) {
	return t.evidence(`report = ?`, id)
}

func (t *Tx) EvidenceByHash(sha256 string) ([]truce.Evidence, error) {
	return t.evidence(`sha256 = ?`, sha256)
}

// evidence lists the evidence where holds, in log order.
func (t *Tx) evidence(where string, args ...any) ([]truce.Evidence, error) {
	rows, err := t.Query(`SELECT entry, report, sha256, size, media_type, member, organisation, added_at
		FROM evidence WHERE `+where+` ORDER BY entry`, args...)
	if err != nil {
		return nil, t.errorf("evidence: %w", err)
	}
	defer rows.Close()
	var out []truce.Evidence
	for rows.Next() {
		var e truce.Evidence
		var added string
		if err := rows.Scan(&e.Entry, &e.Report, &e.SHA256, &e.Size, &e.MediaType, &e.Member, &e.Organisation, &added); err != nil {
			return nil, t.errorf("evidence: %w", err)
		}
		if e.AddedAt, err = t.parseTime(added); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *Tx) InsertAccession(a *truce.Accession) error {
	evidence, err := json.Marshal(a.Evidence)
	if err != nil {
		return err
	}
	return t.Exec(`INSERT INTO accessions (id, entry, kind, actor, pcode, name, guarantor, date, evidence, note, member)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Entry, a.Kind, a.Actor, a.PCode, a.Name, a.Guarantor, a.Date, string(evidence), a.Note, a.Member)
}

func (t *Tx) Accessions(before string) ([]truce.Accession, error) {
	q := `SELECT id, entry, kind, actor, pcode, name, guarantor, date, evidence, note, member FROM accessions`
	var args []any
	if before != "" {
		q += ` WHERE date <= ?`
		args = append(args, before)
	}
	rows, err := t.Query(q+` ORDER BY date, entry`, args...)
	if err != nil {
		return nil, t.errorf("accessions: %w", err)
	}
	defer rows.Close()
	var out []truce.Accession
	for rows.Next() {
		var a truce.Accession
		var evidence string
		if err := rows.Scan(&a.ID, &a.Entry, &a.Kind, &a.Actor, &a.PCode, &a.Name, &a.Guarantor, &a.Date, &evidence, &a.Note, &a.Member); err != nil {
			return nil, t.errorf("accessions: %w", err)
		}
		if err := json.Unmarshal([]byte(evidence), &a.Evidence); err != nil {
			return nil, t.errorf("accession %s: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *Tx) PutMeeting(m *truce.Meeting) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := t.Exec(`INSERT INTO meetings (id, entry, body) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body`, m.ID, m.Entry, string(body)); err != nil {
		return err
	}
	if err := t.Exec(`DELETE FROM meeting_decisions WHERE meeting = ?`, m.ID); err != nil {
		return err
	}
	for i, d := range m.Decisions {
		if err := t.Exec(`INSERT INTO meeting_decisions (key, meeting, report, decision, entry) VALUES (?, ?, ?, ?, ?)`,
			fmt.Sprintf("%s/%04d", m.ID, i), m.ID, d.Report, d.Decision, m.MinutedAt); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) Meeting(id truce.MeetingID) (*truce.Meeting, error) {
	var body string
	err := t.QueryRow(`SELECT body FROM meetings WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("meeting", id)
	} else if err != nil {
		return nil, t.errorf("meeting %s: %w", id, err)
	}
	var m truce.Meeting
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return nil, t.errorf("meeting %s: %w", id, err)
	}
	return &m, nil
}

func (t *Tx) Meetings(before int64, limit int) ([]*truce.Meeting, error) {
	q, args := pageQuery(`SELECT body FROM meetings`, nil, nil, before, limit)
	rows, err := t.Query(q, args...)
	if err != nil {
		return nil, t.errorf("meetings: %w", err)
	}
	defer rows.Close()
	var out []*truce.Meeting
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, t.errorf("meetings: %w", err)
		}
		var m truce.Meeting
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			return nil, t.errorf("meetings: %w", err)
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

func (t *Tx) ReportDecisions(id truce.ReportID) ([]truce.MeetingDecision, error) {
	var out []truce.MeetingDecision
	err := t.decisions(`report = ?`, []any{id}, func(_ truce.ReportID, d truce.MeetingDecision) {
		out = append(out, d)
	})
	return out, err
}

// decisions calls fn with each meeting decision where holds, and the
// report it is about, in log order.
func (t *Tx) decisions(where string, args []any, fn func(truce.ReportID, truce.MeetingDecision)) error {
	rows, err := t.Query(`SELECT report, meeting, decision, entry FROM meeting_decisions WHERE `+where+` ORDER BY entry, key`, args...)
	if err != nil {
		return t.errorf("decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id truce.ReportID
		var d truce.MeetingDecision
		if err := rows.Scan(&id, &d.Meeting, &d.Decision, &d.Entry); err != nil {
			return t.errorf("decisions: %w", err)
		}
		fn(id, d)
	}
	return rows.Err()
}

// ReportParts reads each kind of part once for all of ids.
func (t *Tx) ReportParts(ids []truce.ReportID) (map[truce.ReportID]*truce.ReportParts, error) {
	out := make(map[truce.ReportID]*truce.ReportParts, len(ids))
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		if out[id] == nil {
			out[id] = &truce.ReportParts{}
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	in := `report IN (?` + strings.Repeat(`, ?`, len(args)-1) + `)`
	as, err := t.assessments(in, args...)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		out[a.Report].Assessments = append(out[a.Report].Assessments, a)
	}
	rs, err := t.replies(in, args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		out[r.Report].Replies = append(out[r.Report].Replies, r)
	}
	es, err := t.evidence(in, args...)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		out[e.Report].Evidence = append(out[e.Report].Evidence, e)
	}
	err = t.decisions(in, args, func(id truce.ReportID, d truce.MeetingDecision) {
		out[id].Decisions = append(out[id].Decisions, d)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (t *Tx) PutMemberKey(k *truce.MemberKey) error {
	return t.Exec(`INSERT INTO member_keys (member, key, hash, since, entry) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (member) DO UPDATE SET key = excluded.key, hash = excluded.hash, since = excluded.since, entry = excluded.entry`,
		k.Member, k.Key, k.Hash, formatTime(k.Since), k.Entry)
}

func (t *Tx) MemberKey(id truce.MemberID) (*truce.MemberKey, error) {
	k := &truce.MemberKey{Member: id}
	var since string
	err := t.QueryRow(`SELECT key, hash, since, entry FROM member_keys WHERE member = ?`, id).Scan(&k.Key, &k.Hash, &since, &k.Entry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("key of member", id)
	} else if err != nil {
		return nil, t.errorf("member key: %w", err)
	}
	var perr error
	k.Since, perr = t.parseTime(since)
	return k, perr
}
