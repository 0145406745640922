// Package sqlite is truce's embedded store: the log and its projections in
// one SQLite database (modernc.org/sqlite, pure Go), in WAL mode with
// synchronous=FULL, so that a committed transaction survives a crash.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	_ "modernc.org/sqlite"

	"truce"
	"truce/internal/sqlstore"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is a truce.Store on one SQLite file. Writes go through a single
// connection, so transactions never wait on each other's locks; reads use a
// pool and see WAL snapshots.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB

	// Prepared statements of each pool, by query text. Statements are
	// prepared after the transaction that first ran them has ended: within
	// it, the write pool's one connection is busy.
	mu    sync.Mutex
	stmts map[*sql.DB]map[string]*sql.Stmt
}

// maxStatements bounds the prepared statements kept per pool.
const maxStatements = 256

var _ truce.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and applies any
// migration not yet applied.
func Open(path string) (*DB, error) {
	// The driver hands "file:" names to SQLite as URIs, where '?', '#' and
	// '%' mean something: escaped, they stay part of the file's name.
	file := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.Clean(path))
	dsn := func(txlock string, readOnly bool) string {
		q := url.Values{}
		// temp_store(MEMORY) keeps savepoints' sub-journals in memory.
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", txlock)
		if readOnly {
			// The driver ignores sql.TxOptions.ReadOnly; query_only makes
			// the read pool refuse writes, so that a View cannot write.
			q.Set("_query_only", "1")
		}
		return "file:" + file + "?" + q.Encode()
	}
	db := &DB{path: path, stmts: map[*sql.DB]map[string]*sql.Stmt{}}
	var err error
	if db.write, err = sql.Open("sqlite", dsn("immediate", false)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	if db.read, err = sql.Open("sqlite", dsn("deferred", true)); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.read.SetMaxOpenConns(8)
	// Connect now, so that a file that is not a database is reported as
	// such, with its name.
	if err := db.write.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// pragmaName is what Pragma accepts: a bare name, never an assignment.
var pragmaName = regexp.MustCompile(`^[a-z_]+$`)

// Pragma returns the value of a PRAGMA (such as "journal_mode" or
// "synchronous") on the connection that writes, for diagnostics and tests:
// it shows the settings that make commits durable are in effect.
func (db *DB) Pragma(name string) (string, error) {
	if !pragmaName.MatchString(name) {
		return "", fmt.Errorf("sqlite: pragma %q: not a pragma name", name)
	}
	var v string
	if err := db.write.QueryRow(`PRAGMA ` + name).Scan(&v); err != nil {
		return "", fmt.Errorf("sqlite: pragma %s: %w", name, err)
	}
	return v, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.mu.Lock()
	for _, m := range db.stmts {
		for _, st := range m {
			st.Close()
		}
	}
	db.stmts = nil
	db.mu.Unlock()
	return errors.Join(db.read.Close(), db.write.Close())
}

// prepared returns the statement prepared for q on pool, or nil.
func (db *DB) prepared(pool *sql.DB, q string) *sql.Stmt {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.stmts[pool][q]
}

// prepare prepares queries on pool for later transactions. Failures only
// mean the query stays unprepared.
func (db *DB) prepare(pool *sql.DB, queries []string) {
	for _, q := range queries {
		db.mu.Lock()
		m := db.stmts[pool]
		if m == nil {
			m = map[string]*sql.Stmt{}
			db.stmts[pool] = m
		}
		_, done := m[q]
		full := len(m) >= maxStatements
		db.mu.Unlock()
		if done || full {
			continue
		}
		st, err := pool.Prepare(q)
		if err != nil {
			continue
		}
		db.mu.Lock()
		if _, dup := m[q]; dup || db.stmts == nil {
			st.Close()
		} else {
			m[q] = st
		}
		db.mu.Unlock()
	}
}

// migrate applies the embedded migrations in name order, each in its own
// transaction, recording them in the migrations table.
func (db *DB) migrate() error {
	if _, err := db.write.Exec(`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(name); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(name string) error {
	tx, err := db.write.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	} else if n != 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(string(body)); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Update runs fn in a read-write transaction (BEGIN IMMEDIATE) and commits
// it when fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(truce.Tx) error) error {
	return db.run(ctx, db.write, false, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(truce.Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(truce.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	c := &conn{tx: sqlTx, db: db, pool: pool}
	t := &tx{sqlstore.New(ctx, "sqlite", c)}
	defer func() {
		sqlTx.Rollback()
		if len(c.unprepared) > 0 {
			db.prepare(pool, c.unprepared)
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if readOnly {
		return nil
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// tx implements truce.Tx: package sqlstore's queries, with this store's
// savepoints and scans.
type tx struct{ *sqlstore.Tx }

// conn runs a transaction's statements, prepared where an earlier
// transaction on the same pool ran them (see DB.prepare).
type conn struct {
	tx         *sql.Tx
	db         *DB
	pool       *sql.DB
	stmts      map[string]*sql.Stmt // prepared statements bound to this transaction
	unprepared []string             // queries run unprepared, to prepare afterwards
}

// stmt returns q prepared for this transaction, or nil when it is not
// prepared yet.
func (c *conn) stmt(ctx context.Context, q string) *sql.Stmt {
	if st, ok := c.stmts[q]; ok {
		return st
	}
	st := c.db.prepared(c.pool, q)
	if st == nil {
		c.unprepared = append(c.unprepared, q)
		return nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	st = c.tx.StmtContext(ctx, st)
	c.stmts[q] = st
	return st
}

func (c *conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := c.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.tx.ExecContext(ctx, q, args...)
}

func (c *conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.tx.QueryContext(ctx, q, args...)
}

func (c *conn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := c.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, q, args...)
}

// Nested runs fn inside a savepoint, rolled back when fn fails. The cached
// log size is restored with it.
func (t *tx) Nested(fn func() error) (err error) {
	if err := t.Exec(`SAVEPOINT nested`); err != nil {
		return err
	}
	size := t.Size
	defer func() {
		if p := recover(); p != nil {
			t.Exec(`ROLLBACK TO nested`)
			t.Exec(`RELEASE nested`)
			t.Size = size
			panic(p)
		}
	}()
	if err = fn(); err != nil {
		t.Size = size
		if rerr := t.Exec(`ROLLBACK TO nested`); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	if rerr := t.Exec(`RELEASE nested`); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}
