package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"truce"
)

func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

func (t *Tx) parseOptTime(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	at, err := t.parseTime(s)
	return &at, err
}

func (t *Tx) PutZone(z *truce.Zone) error {
	body, err := json.Marshal(z)
	if err != nil {
		return err
	}
	return t.Exec(`INSERT INTO zones (id, entry, kind, state, valid_from, valid_to, body) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body`,
		z.ID, z.Entry, z.Kind, z.State, formatTime(z.ValidFrom), optTime(z.ValidTo), string(body))
}

func (t *Tx) Zone(id truce.ZoneID) (*truce.Zone, error) {
	var body string
	err := t.QueryRow(`SELECT body FROM zones WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("zone", id)
	} else if err != nil {
		return nil, t.errorf("zone %s: %w", id, err)
	}
	var z truce.Zone
	if err := json.Unmarshal([]byte(body), &z); err != nil {
		return nil, t.errorf("zone %s: %w", id, err)
	}
	return &z, nil
}

func (t *Tx) Zones(state string, at *time.Time) ([]*truce.Zone, error) {
	q, args := `SELECT body FROM zones WHERE 1 = 1`, []any{}
	if state != "" {
		q, args = q+` AND state = ?`, append(args, state)
	}
	if at != nil {
		s := formatTime(*at)
		q, args = q+` AND valid_from <= ? AND (valid_to = '' OR valid_to > ?)`, append(args, s, s)
	}
	rows, err := t.Query(q+` ORDER BY entry`, args...)
	if err != nil {
		return nil, t.errorf("zones: %w", err)
	}
	defer rows.Close()
	var out []*truce.Zone
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, t.errorf("zones: %w", err)
		}
		var z truce.Zone
		if err := json.Unmarshal([]byte(body), &z); err != nil {
			return nil, t.errorf("zones: %w", err)
		}
		out = append(out, &z)
	}
	return out, rows.Err()
}

func (t *Tx) InsertPosition(p *truce.Position, s truce.ReportState) error {
	return t.Exec(`INSERT INTO positions (id, entry, actor, lon, lat, radius_m, observed_at, valid_to, description,
		organisation, claimed_by, claimed_at, deadline, state_open, state_closed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Entry, p.Actor, p.Lon, p.Lat, p.RadiusM, formatTime(p.ObservedAt), optTime(p.ValidTo), p.Description,
		p.Organisation, p.ClaimedBy, formatTime(p.ClaimedAt), formatTime(s.Deadline), s.Open, s.Closed)
}

func (t *Tx) SetPositionState(id truce.PositionID, s truce.ReportState) error {
	res, err := t.execResult(`UPDATE positions SET deadline = ?, state_open = ?, state_closed = ? WHERE id = ?`,
		formatTime(s.Deadline), s.Open, s.Closed, id)
	if err != nil {
		return t.errorf("position state: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("position", id)
	}
	return nil
}

const positionColumns = `id, entry, actor, lon, lat, radius_m, observed_at, valid_to, description,
	organisation, claimed_by, claimed_at, deadline, state_open, state_closed`

func (t *Tx) scanPosition(s interface{ Scan(...any) error }) (*truce.Position, truce.ReportState, error) {
	var p truce.Position
	var st truce.ReportState
	var observed, validTo, claimed, deadline string
	if err := s.Scan(&p.ID, &p.Entry, &p.Actor, &p.Lon, &p.Lat, &p.RadiusM, &observed, &validTo, &p.Description,
		&p.Organisation, &p.ClaimedBy, &claimed, &deadline, &st.Open, &st.Closed); err != nil {
		return nil, st, err
	}
	var err error
	if p.ObservedAt, err = t.parseTime(observed); err != nil {
		return nil, st, err
	}
	if p.ValidTo, err = t.parseOptTime(validTo); err != nil {
		return nil, st, err
	}
	if p.ClaimedAt, err = t.parseTime(claimed); err != nil {
		return nil, st, err
	}
	if st.Deadline, err = t.parseTime(deadline); err != nil {
		return nil, st, err
	}
	return &p, st, nil
}

func (t *Tx) Position(id truce.PositionID) (*truce.Position, truce.ReportState, error) {
	p, st, err := t.scanPosition(t.QueryRow(`SELECT `+positionColumns+` FROM positions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, st, notFound("position", id)
	} else if err != nil {
		return nil, st, t.errorf("position %s: %w", id, err)
	}
	return p, st, nil
}

func (t *Tx) Positions(at *time.Time) ([]*truce.Position, []truce.ReportState, error) {
	q, args := `SELECT `+positionColumns+` FROM positions`, []any{}
	if at != nil {
		s := formatTime(*at)
		q, args = q+` WHERE observed_at <= ? AND (valid_to = '' OR valid_to > ?)`, append(args, s, s)
	}
	rows, err := t.Query(q+` ORDER BY entry`, args...)
	if err != nil {
		return nil, nil, t.errorf("positions: %w", err)
	}
	defer rows.Close()
	var ps []*truce.Position
	var sts []truce.ReportState
	for rows.Next() {
		p, st, err := t.scanPosition(rows)
		if err != nil {
			return nil, nil, t.errorf("positions: %w", err)
		}
		ps, sts = append(ps, p), append(sts, st)
	}
	return ps, sts, rows.Err()
}

func (t *Tx) InsertPositionAssessment(id truce.PositionID, a *truce.Assessment) error {
	return t.Exec(`INSERT INTO position_assessments (entry, position, member, organisation, verdict, reason, made_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Entry, id, a.Member, a.Organisation, a.Verdict, a.Reason, formatTime(a.MadeAt))
}

func (t *Tx) PositionAssessments(id truce.PositionID) ([]truce.Assessment, error) {
	rows, err := t.Query(`SELECT entry, member, organisation, verdict, reason, made_at
		FROM position_assessments WHERE position = ? ORDER BY entry`, id)
	if err != nil {
		return nil, t.errorf("position assessments: %w", err)
	}
	defer rows.Close()
	var out []truce.Assessment
	for rows.Next() {
		var a truce.Assessment
		var made string
		if err := rows.Scan(&a.Entry, &a.Member, &a.Organisation, &a.Verdict, &a.Reason, &made); err != nil {
			return nil, t.errorf("position assessments: %w", err)
		}
		if a.MadeAt, err = t.parseTime(made); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *Tx) SetClassification(id truce.ReportID, c *truce.Classification, entry int64) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	res, err := t.execResult(`UPDATE reports SET adm1 = ?, scope = ?, controller = ?, classification = ?, classified_entry = ? WHERE id = ?`,
		c.ADM1, c.Scope, c.Controller, string(body), entry, id)
	if err != nil {
		return t.errorf("classification: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("report", id)
	}
	return nil
}

func (t *Tx) Classification(id truce.ReportID) (*truce.Classification, int64, error) {
	var body string
	var entry int64
	err := t.QueryRow(`SELECT classification, classified_entry FROM reports WHERE id = ?`, id).Scan(&body, &entry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, notFound("report", id)
	} else if err != nil {
		return nil, 0, t.errorf("classification: %w", err)
	}
	if body == "" {
		return nil, 0, nil
	}
	var c truce.Classification
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return nil, 0, t.errorf("classification of %s: %w", id, err)
	}
	return &c, entry, nil
}

func (t *Tx) ReportsBetween(from, to time.Time, box [4]float64) ([]*truce.Report, error) {
	q := `SELECT ` + reportColumns + ` FROM reports WHERE occurred_at >= ? AND lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?`
	args := []any{formatTime(from), box[0], box[2], box[1], box[3]}
	if !to.IsZero() {
		q, args = q+` AND occurred_at < ?`, append(args, formatTime(to))
	}
	rows, err := t.Query(q+` ORDER BY entry`, args...)
	if err != nil {
		return nil, t.errorf("reports between: %w", err)
	}
	defer rows.Close()
	var out []*truce.Report
	for rows.Next() {
		r, _, err := t.scanReport(rows)
		if err != nil {
			return nil, t.errorf("reports between: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
