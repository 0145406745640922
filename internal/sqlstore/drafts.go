package sqlstore

import (
	"database/sql"

	"truce"
)

const draftColumns = `id, organisation, queued_by, queued_at, seq, lang, date, source, text, draft`

func (t *Tx) PutDraft(d *truce.StoredDraft) error {
	return t.Exec(`INSERT INTO drafts (`+draftColumns+`, text_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.Organisation, d.QueuedBy, formatTime(d.QueuedAt), d.Seq, d.Lang, d.Date, d.Source, d.Text, string(d.Draft), len(d.Text))
}

func (t *Tx) Draft(id string) (*truce.StoredDraft, error) {
	rows, err := t.Query(`SELECT `+draftColumns+` FROM drafts WHERE id = ?`, id)
	if err != nil {
		return nil, t.errorf("draft %s: %w", id, err)
	}
	ds, err := t.scanDrafts(rows)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, notFound("draft", id)
	}
	return ds[0], nil
}

func (t *Tx) Drafts(org truce.ActorID) ([]*truce.StoredDraft, error) {
	rows, err := t.Query(`SELECT `+draftColumns+` FROM drafts WHERE organisation = ? ORDER BY queued_at, seq, id`, org)
	if err != nil {
		return nil, t.errorf("drafts of %s: %w", org, err)
	}
	return t.scanDrafts(rows)
}

func (t *Tx) scanDrafts(rows *sql.Rows) ([]*truce.StoredDraft, error) {
	defer rows.Close()
	var out []*truce.StoredDraft
	for rows.Next() {
		var d truce.StoredDraft
		var at, draft string
		if err := rows.Scan(&d.ID, &d.Organisation, &d.QueuedBy, &at, &d.Seq, &d.Lang, &d.Date, &d.Source, &d.Text, &draft); err != nil {
			return nil, t.errorf("drafts: %w", err)
		}
		var err error
		if d.QueuedAt, err = t.parseTime(at); err != nil {
			return nil, err
		}
		d.Draft = []byte(draft)
		out = append(out, &d)
	}
	if err := rows.Err(); err != nil {
		return nil, t.errorf("drafts: %w", err)
	}
	return out, nil
}

func (t *Tx) DraftUsage(org truce.ActorID) (int, int64, error) {
	var n int
	var bytes int64
	err := t.QueryRow(`SELECT COUNT(*), COALESCE(SUM(text_bytes), 0) FROM drafts WHERE organisation = ?`, org).Scan(&n, &bytes)
	if err != nil {
		return 0, 0, t.errorf("drafts of %s: %w", org, err)
	}
	return n, bytes, nil
}

func (t *Tx) DeleteDraft(id string) error {
	res, err := t.execResult(`DELETE FROM drafts WHERE id = ?`, id)
	if err != nil {
		return t.errorf("draft %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.errorf("draft %s: %w", id, err)
	} else if n == 0 {
		return notFound("draft", id)
	}
	return nil
}
