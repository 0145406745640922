package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"truce"
)

func (t *Tx) ResetProjections() error {
	// Children before parents, for the foreign keys.
	for _, table := range []string{
		"assessments", "replies", "rfis", "evidence", "meeting_decisions", "meetings",
		"position_assessments", "positions", "zones", "report_classifications",
		"reports", "accessions", "member_keys", "members", "agreement",
	} {
		if err := t.Exec(`DELETE FROM ` + table); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) PutAgreement(a *truce.Agreement, entry int64) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := t.Exec(`DELETE FROM agreement`); err != nil {
		return err
	}
	return t.Exec(`INSERT INTO agreement (id, body, entry) VALUES (?, ?, ?)`, a.ID, string(body), entry)
}

func (t *Tx) Agreement() (*truce.Agreement, error) {
	var body string
	err := t.QueryRow(`SELECT body FROM agreement`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, truce.Errorf(truce.ENOTFOUND, "no agreement has been loaded")
	} else if err != nil {
		return nil, t.errorf("agreement: %w", err)
	}
	var a truce.Agreement
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		return nil, t.errorf("agreement: %w", err)
	}
	return &a, nil
}

func (t *Tx) InsertMember(m *truce.Member) error {
	return t.Exec(`INSERT INTO members (id, name, organisation, role, added_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
		m.ID, m.Name, m.Organisation, m.Role, formatTime(m.AddedAt), m.Entry)
}

const memberColumns = `id, name, organisation, role, added_at, entry`

func (t *Tx) scanMember(s interface{ Scan(...any) error }) (*truce.Member, error) {
	var m truce.Member
	var added string
	if err := s.Scan(&m.ID, &m.Name, &m.Organisation, &m.Role, &added, &m.Entry); err != nil {
		return nil, err
	}
	var err error
	m.AddedAt, err = t.parseTime(added)
	return &m, err
}

func (t *Tx) Member(id truce.MemberID) (*truce.Member, error) {
	m, err := t.scanMember(t.QueryRow(`SELECT `+memberColumns+` FROM members WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("member", id)
	} else if err != nil {
		return nil, t.errorf("member %s: %w", id, err)
	}
	return m, nil
}

func (t *Tx) Members() ([]*truce.Member, error) {
	rows, err := t.Query(`SELECT ` + memberColumns + ` FROM members ORDER BY entry`)
	if err != nil {
		return nil, t.errorf("members: %w", err)
	}
	defer rows.Close()
	var ms []*truce.Member
	for rows.Next() {
		m, err := t.scanMember(rows)
		if err != nil {
			return nil, t.errorf("members: %w", err)
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// InsertReport inserts a report with its classification at intake, when it
// has one (classified by the entry that filed it).
func (t *Tx) InsertReport(r *truce.Report, s truce.ReportState) error {
	casualties, fire, sources, origin, err := reportJSON(r)
	if err != nil {
		return err
	}
	var adm1, scope, controller, classification string
	var classified int64
	if c := r.Classification; c != nil {
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		adm1, scope, controller, classification, classified = c.ADM1, c.Scope, string(c.Controller), string(b), r.Entry
	}
	return t.Exec(`INSERT INTO reports (id, entry, filed_at, filed_by, organisation, occurred_at, lon, lat,
		event_type, sub_event_type, perpetrator, perpetrator_as_given, description, deadline, state_open, state_closed,
		time_precision, geo_precision, uncertainty_m, place, target, target_as_given, casualties, fire, sources, source_identity,
		adm1, scope, controller, classification, classified_entry, origin)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Entry, formatTime(r.FiledAt), r.FiledBy, r.Organisation, formatTime(r.OccurredAt), r.Lon, r.Lat,
		r.EventType, r.SubEventType, r.Perpetrator, r.PerpetratorAsGiven, r.Description,
		formatTime(s.Deadline), s.Open, s.Closed,
		r.TimePrecision, r.GeoPrecision, r.UncertaintyM, r.Place, r.Target, r.TargetAsGiven, casualties, fire, sources, r.SourceIdentity,
		adm1, scope, controller, classification, classified, origin)
}

// reportJSON encodes a report's structured parts for their JSON columns,
// ” for none.
func reportJSON(r *truce.Report) (casualties, fire, sources, origin string, err error) {
	enc := func(v any, empty bool) string {
		if empty || err != nil {
			return ""
		}
		var b []byte
		b, err = json.Marshal(v)
		return string(b)
	}
	casualties = enc(r.Casualties, r.Casualties == nil)
	fire = enc(r.Fire, r.Fire == nil)
	sources = enc(r.Sources, len(r.Sources) == 0)
	origin = enc(r.Origin, r.Origin == nil)
	return
}

func (t *Tx) SetReportState(id truce.ReportID, s truce.ReportState) error {
	res, err := t.execResult(`UPDATE reports SET deadline = ?, state_open = ?, state_closed = ? WHERE id = ?`,
		formatTime(s.Deadline), s.Open, s.Closed, id)
	if err != nil {
		return t.errorf("report state: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("report", id)
	}
	return nil
}

const reportColumns = `id, entry, filed_at, filed_by, organisation, occurred_at, lon, lat, event_type, sub_event_type,
	perpetrator, perpetrator_as_given, description, deadline, state_open, state_closed,
	time_precision, geo_precision, uncertainty_m, place, target, target_as_given, casualties, fire, sources, source_identity,
	classification, origin`

func (t *Tx) scanReport(s interface{ Scan(...any) error }) (*truce.Report, truce.ReportState, error) {
	var r truce.Report
	var st truce.ReportState
	var filed, occurred, deadline, casualties, fire, sources, classification, origin string
	err := s.Scan(&r.ID, &r.Entry, &filed, &r.FiledBy, &r.Organisation, &occurred, &r.Lon, &r.Lat,
		&r.EventType, &r.SubEventType, &r.Perpetrator, &r.PerpetratorAsGiven, &r.Description,
		&deadline, &st.Open, &st.Closed,
		&r.TimePrecision, &r.GeoPrecision, &r.UncertaintyM, &r.Place, &r.Target, &r.TargetAsGiven,
		&casualties, &fire, &sources, &r.SourceIdentity, &classification, &origin)
	if err != nil {
		return nil, st, err
	}
	if r.FiledAt, err = t.parseTime(filed); err != nil {
		return nil, st, err
	}
	if r.OccurredAt, err = t.parseTime(occurred); err != nil {
		return nil, st, err
	}
	if st.Deadline, err = t.parseTime(deadline); err != nil {
		return nil, st, err
	}
	for _, c := range []struct {
		text string
		v    any
	}{{casualties, &r.Casualties}, {fire, &r.Fire}, {sources, &r.Sources}, {classification, &r.Classification}, {origin, &r.Origin}} {
		if c.text != "" {
			if err := json.Unmarshal([]byte(c.text), c.v); err != nil {
				return nil, st, t.errorf("report %s: %w", r.ID, err)
			}
		}
	}
	return &r, st, nil
}

func (t *Tx) Report(id truce.ReportID) (*truce.Report, truce.ReportState, error) {
	r, st, err := t.scanReport(t.QueryRow(`SELECT `+reportColumns+` FROM reports WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, st, notFound("report", id)
	} else if err != nil {
		return nil, st, t.errorf("report %s: %w", id, err)
	}
	return r, st, nil
}

func (t *Tx) FindReports(f truce.ReportFilter) ([]*truce.Report, []truce.ReportState, error) {
	var where []string
	var args []any
	if !f.OccurredFrom.IsZero() {
		where, args = append(where, `occurred_at >= ?`), append(args, formatTime(f.OccurredFrom))
	}
	if !f.OccurredTo.IsZero() {
		where, args = append(where, `occurred_at < ?`), append(args, formatTime(f.OccurredTo))
	}
	if f.Consensus != "" {
		where = append(where, `(CASE WHEN deadline > ? THEN state_open ELSE state_closed END) = ?`)
		args = append(args, formatTime(f.Now), f.Consensus)
	}
	if f.Perpetrator != "" {
		where, args = append(where, `perpetrator = ?`), append(args, f.Perpetrator)
	}
	for _, c := range []struct{ col, v string }{
		{"organisation", string(f.Organisation)}, {"adm1", f.ADM1}, {"scope", f.Scope}, {"controller", string(f.Controller)},
	} {
		if c.v != "" {
			where, args = append(where, c.col+` = ?`), append(args, c.v)
		}
	}
	q, args := pageQuery(`SELECT `+reportColumns+` FROM reports`, where, args, f.Before, f.Limit)
	rows, err := t.Query(q, args...)
	if err != nil {
		return nil, nil, t.errorf("find reports: %w", err)
	}
	defer rows.Close()
	var rs []*truce.Report
	var sts []truce.ReportState
	for rows.Next() {
		r, st, err := t.scanReport(rows)
		if err != nil {
			return nil, nil, t.errorf("find reports: %w", err)
		}
		rs, sts = append(rs, r), append(sts, st)
	}
	return rs, sts, rows.Err()
}

func (t *Tx) InsertAssessment(a *truce.Assessment) error {
	return t.Exec(`INSERT INTO assessments (entry, report, member, organisation, verdict, reason, made_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.Entry, a.Report, a.Member, a.Organisation, a.Verdict, a.Reason, formatTime(a.MadeAt))
}

func (t *Tx) Assessments(id truce.ReportID) ([]truce.Assessment, error) {
	return t.assessments(`report = ?`, id)
}

// assessments lists the report assessments where holds, in log order.
func (t *Tx) assessments(where string, args ...any) ([]truce.Assessment, error) {
	rows, err := t.Query(`SELECT entry, report, member, organisation, verdict, reason, made_at
		FROM assessments WHERE `+where+` ORDER BY entry`, args...)
	if err != nil {
		return nil, t.errorf("assessments: %w", err)
	}
	defer rows.Close()
	var as []truce.Assessment
	for rows.Next() {
		var a truce.Assessment
		var made string
		if err := rows.Scan(&a.Entry, &a.Report, &a.Member, &a.Organisation, &a.Verdict, &a.Reason, &made); err != nil {
			return nil, t.errorf("assessments: %w", err)
		}
		if a.MadeAt, err = t.parseTime(made); err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	return as, rows.Err()
}

// pageQuery completes a listing's query: its conditions, the entries before
// the cursor (when positive), newest first, and the limit (when positive).
func pageQuery(q string, where []string, args []any, before int64, limit int) (string, []any) {
	if before > 0 {
		where, args = append(where, `entry < ?`), append(args, before)
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY entry DESC`
	if limit > 0 {
		q, args = q+` LIMIT ?`, append(args, limit)
	}
	return q, args
}
