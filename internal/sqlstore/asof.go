package sqlstore

import (
	"cmp"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"truce"
)

// What a bulletin reads: reports and assessments as they stood at a tree
// size. Triggers of migration 0004 keep every classification in
// report_classifications, so that the one standing at an earlier size is
// found even after the report was classified again, and each report's
// answers in its answers column, so that a day's reports are read with
// them in one range scan: a bulletin of a day of a million-report log
// reads some 5,500 reports, and a seek into assessments for each was most
// of its time.

func (t *Tx) CheckpointAt(size int64) (*truce.Checkpoint, error) {
	rows, err := t.Query(`SELECT size, root, note, issued_at FROM checkpoints WHERE size = ?`, size)
	if err != nil {
		return nil, t.errorf("checkpoint %d: %w", size, err)
	}
	var c *truce.Checkpoint
	if err := t.CheckpointRows(rows, func(x *truce.Checkpoint) error { c = x; return nil }); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, truce.Errorf(truce.ENOTFOUND, "no checkpoint was issued at tree size %d", size)
	}
	return c, nil
}

func (t *Tx) ReportsAsOf(from, to time.Time, size int64) ([]truce.ReportAsOf, error) {
	lo, hi := formatTime(from), formatTime(to)
	rows, err := t.Query(`SELECT id, entry, occurred_at, filed_at, organisation, lon, lat, event_type, sub_event_type,
		perpetrator, target, adm1, scope, controller, classified_entry, answers
		FROM reports WHERE occurred_at >= ? AND occurred_at < ? AND entry < ?`, lo, hi, size)
	if err != nil {
		return nil, t.errorf("reports as of %d: %w", size, err)
	}
	var out []truce.ReportAsOf
	var classified []int64 // the entry of each report's classification now
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var r truce.ReportAsOf
			var occurred, filed, answers string
			var c int64
			if err := rows.Scan(&r.ID, &r.Entry, &occurred, &filed, &r.Organisation, &r.Lon, &r.Lat, &r.EventType, &r.SubEventType,
				&r.Perpetrator, &r.Target, &r.ADM1, &r.Scope, &r.Controller, &c, &answers); err != nil {
				return err
			}
			var err error
			if r.Assessments, err = t.parseAnswers(r.ID, answers, size); err != nil {
				return err
			}
			if r.OccurredAt, err = t.parseStoredTime(occurred); err != nil {
				return err
			}
			if r.FiledAt, err = t.parseStoredTime(filed); err != nil {
				return err
			}
			out, classified = append(out, r), append(classified, c)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, t.errorf("reports as of %d: %w", size, err)
	}
	// Reports come in the order of the occurrence index; classifications
	// made at or after size are replaced by the one standing before it.
	for i := range out {
		if classified[i] >= size {
			if err := t.classificationBefore(&out[i], size); err != nil {
				return nil, err
			}
		}
	}
	slices.SortFunc(out, func(a, b truce.ReportAsOf) int { return cmp.Compare(a.Entry, b.Entry) })
	return out, nil
}

// classificationBefore sets the classification r had before entry size:
// none when it had none yet.
func (t *Tx) classificationBefore(r *truce.ReportAsOf, size int64) error {
	err := t.QueryRow(`SELECT adm1, scope, controller FROM report_classifications
		WHERE report = ? AND entry < ? ORDER BY entry DESC LIMIT 1`, r.ID, size).Scan(&r.ADM1, &r.Scope, &r.Controller)
	if errors.Is(err, sql.ErrNoRows) {
		r.ADM1, r.Scope, r.Controller = "", "", ""
		return nil
	} else if err != nil {
		return t.errorf("classification of %s as of %d: %w", r.ID, size, err)
	}
	return nil
}

// parseAnswers reads a report's answers column (migration 0004) and
// returns the assessments in it made before entry size, in log order.
func (t *Tx) parseAnswers(id truce.ReportID, answers string, size int64) ([]truce.Assessment, error) {
	var out []truce.Assessment
	for answers != "" {
		item, rest, ok := strings.Cut(answers, ";")
		entry, item, ok1 := strings.Cut(item, " ")
		org, verdict, ok2 := strings.Cut(item, " ")
		e, err := strconv.ParseInt(entry, 10, 64)
		if !ok || !ok1 || !ok2 || err != nil {
			return nil, t.errorf("answers of report %s: %q is not \"entry organisation verdict;\"", id, answers)
		}
		if e < size {
			out = append(out, truce.Assessment{Report: id, Organisation: truce.ActorID(org), Verdict: truce.Verdict(verdict), Entry: e})
		}
		answers = rest
	}
	return out, nil
}

// parseStoredTime parses a time as formatTime writes it, digit by digit:
// a day's bulletin parses two for each of thousands of reports, and
// time.Parse is the larger part of reading them. Anything else goes to
// parseTime.
func (t *Tx) parseStoredTime(s string) (time.Time, error) {
	if len(s) != len(timeFormat) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[29] != 'Z' {
		return t.parseTime(s)
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	var v [7]int
	for i, f := range [7][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}, {20, 29}} {
		var ok bool
		if v[i], ok = num(f[0], f[1]); !ok {
			return t.parseTime(s)
		}
	}
	d := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], v[6], time.UTC)
	if d.Day() != v[2] || d.Hour() != v[3] || d.Minute() != v[4] || d.Second() != v[5] || d.Month() != time.Month(v[1]) {
		return t.parseTime(s) // out of range: let time.Parse say so
	}
	return d, nil
}
