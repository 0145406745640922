// Package sqlstore is the query code the SQLite and PostgreSQL stores share:
// truce.Tx written once over a database/sql transaction, in SQL both
// dialects read the same way, with ? placeholders (the PostgreSQL store
// rebinds them). Each store keeps what is its own: opening, migrations,
// locking, savepoints (Nested), how scans read, and statements its dialect
// writes differently; its transaction type embeds a *Tx for the rest.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"truce"
)

// Querier runs a transaction's statements, written with ? placeholders.
// A *sql.Tx is one; a store wraps it to rebind placeholders or to use
// prepared statements.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx implements most of truce.Tx on one transaction. The methods a store
// writes itself are Nested, ScanEntries, ScanCheckpoints, ScanCosignatures,
// DumpProjections and EvidenceBytes.
type Tx struct {
	ctx  context.Context
	q    Querier
	name string // the store's, at the start of error messages: "sqlite", "postgres"

	// Size is the log's size once read, or -1; this transaction's appends
	// keep it current, and no other writer runs while it is open. Nested
	// restores it when it rolls back.
	Size int64
}

// New returns a Tx running its statements on q, its errors prefixed with
// name.
func New(ctx context.Context, name string, q Querier) *Tx {
	return &Tx{ctx: ctx, q: q, name: name, Size: -1}
}

// errorf is fmt.Errorf with the store's name in front: "sqlite: …".
func (t *Tx) errorf(format string, args ...any) error {
	return fmt.Errorf(t.name+": "+format, args...)
}

func (t *Tx) execResult(q string, args ...any) (sql.Result, error) {
	return t.q.ExecContext(t.ctx, q, args...)
}

// Exec runs a statement, its error prefixed with the store's name.
func (t *Tx) Exec(q string, args ...any) error {
	if _, err := t.execResult(q, args...); err != nil {
		return t.errorf("%w", err)
	}
	return nil
}

// Query runs a query.
func (t *Tx) Query(q string, args ...any) (*sql.Rows, error) {
	return t.q.QueryContext(t.ctx, q, args...)
}

// QueryRow runs a query of one row.
func (t *Tx) QueryRow(q string, args ...any) *sql.Row {
	return t.q.QueryRowContext(t.ctx, q, args...)
}

// timeFormat writes times as fixed-width UTC text, so that they sort, and
// so that both stores hold the same text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// ParseTime parses a time as the stores write them.
func (t *Tx) ParseTime(s string) (time.Time, error) { return t.parseTime(s) }

func (t *Tx) parseTime(s string) (time.Time, error) {
	at, err := time.Parse(timeFormat, s)
	if err != nil {
		return at, t.errorf("stored time %q: %w", s, err)
	}
	return at, nil
}

func notFound(what string, id any) error {
	return truce.Errorf(truce.ENOTFOUND, "%s %v not found", what, id)
}
