// Package postgres is truce's store on a PostgreSQL server (pgx v5): the
// same contract as package sqlite, checked by the same conformance suite
// (package storetest), for deployments where several truce processes share
// one database.
//
// Several processes, one log: every Update takes a transaction-scoped
// advisory lock (pg_advisory_xact_lock) before it reads anything, so the
// writers of every process connected to the same schema run one at a time,
// in one sequence, and each sees what the one before it committed. The
// lock goes with the transaction: when its holder commits, rolls back or
// dies (its connection closes), PostgreSQL releases it and the next waiting
// writer, in whichever process, goes on. Views take no lock; they read one
// snapshot (REPEATABLE READ, READ ONLY).
//
// Tables and their columns mirror the SQLite store's, text columns in the
// "C" collation (bytes, as SQLite compares), so that DumpProjections gives
// the same rows, byte for byte, from either store.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"truce"
	"truce/internal/sqlstore"
)

// Migrations: migration/*.sql always, then postgis/*.sql where the postgis
// extension is installed (Open installs it when the server offers it and
// the user may), so that a database that gains PostGIS gets them at the
// next Open.
//
//go:embed migration/*.sql postgis/*.sql
var migrationFS embed.FS

// lockSQL makes the transaction the one writer of the log. The lock's
// first key is "truc" (0x74727563); the second a hash of the schema, so
// that logs in different schemas of one database do not wait on each
// other. The simple
// protocol sends both statements in one round trip; synchronous_commit is
// set for the transaction so that a commit is durable whatever the
// server's default.
const lockSQL = `SET LOCAL synchronous_commit = on; SELECT pg_advisory_xact_lock(1953658211, hashtext(current_schema()))`

// DB is a truce.Store on a PostgreSQL database (the schema first on the
// connection's search_path).
type DB struct {
	dsn string
	db  *sql.DB
}

var _ truce.Store = (*DB)(nil)

// IsDSN reports whether s names a PostgreSQL database: a postgres:// or
// postgresql:// URL.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns dsn without its password, for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Open connects to the database dsn names (a postgres:// URL, or key=value
// pairs as libpq takes them) and applies any migration not yet applied.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", Redact(dsn), err)
	}
	db := &DB{dsn: dsn, db: stdlib.OpenDB(*cfg)}
	db.db.SetMaxOpenConns(16)
	db.db.SetMaxIdleConns(16)
	db.db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.db.PingContext(ctx); err != nil {
		db.db.Close()
		return nil, fmt.Errorf("postgres: connect to %s: %w", Redact(dsn), err)
	}
	if err := db.migrate(ctx); err != nil {
		db.db.Close()
		return nil, err
	}
	return db, nil
}

// DSN returns the data source name the store was opened with.
func (db *DB) DSN() string { return db.dsn }

// SQL returns the connection pool, for tests and tools that read the
// tables directly (the projections are there for analysts to query).
func (db *DB) SQL() *sql.DB { return db.db }

// Close closes the connections.
func (db *DB) Close() error { return db.db.Close() }

// migrate applies the embedded migrations in name order, all in one
// transaction under the writers' lock, so that processes starting together
// migrate once.
func (db *DB) migrate(ctx context.Context) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, lockSQL); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT COLLATE "C" PRIMARY KEY)`); err != nil {
		return fmt.Errorf("postgres: migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if ok, err := postGIS(ctx, tx); err != nil {
		return err
	} else if ok {
		more, err := fs.Glob(migrationFS, "postgis/*.sql")
		if err != nil {
			return err
		}
		sort.Strings(more)
		names = append(names, more...)
	}
	for _, name := range names {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		} else if n != 0 {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name) VALUES ($1)`, name); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}

// postGIS reports whether the postgis extension is installed in the
// database, installing it first when the server has it and the user may.
func postGIS(ctx context.Context, tx *sql.Tx) (bool, error) {
	var available, installed bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'),
		EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')`).Scan(&available, &installed)
	if err != nil || installed || !available {
		return installed, err
	}
	// Without the privilege, or racing another installer, it fails: the
	// savepoint keeps the transaction going.
	if _, err := tx.ExecContext(ctx, `SAVEPOINT postgis`); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS postgis`); err != nil {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT postgis`); err != nil {
			return false, err
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')`).Scan(&installed)
	return installed, err
}

// HasGeometry reports whether zones are also kept as PostGIS geometry, in
// zone_geometries (and the zone_map view).
func (db *DB) HasGeometry(ctx context.Context) (bool, error) {
	var ok bool
	err := db.db.QueryRowContext(ctx, `SELECT to_regclass('zone_geometries') IS NOT NULL`).Scan(&ok)
	return ok, err
}

// Update runs fn in a read-write transaction that holds the writers'
// advisory lock, and commits it when fn returns nil. READ COMMITTED is
// enough, and is needed: with the lock held, every statement's snapshot
// sees all that earlier writers committed, while a REPEATABLE READ
// snapshot would be taken by the lock statement itself, before the wait.
func (db *DB) Update(ctx context.Context, fn func(truce.Tx) error) error {
	sqlTx, err := db.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer sqlTx.Rollback()
	if _, err := sqlTx.ExecContext(ctx, lockSQL); err != nil {
		return fmt.Errorf("postgres: writers' lock: %w", err)
	}
	if err := fn(newTx(ctx, sqlTx)); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// View runs fn in a read-only transaction on one snapshot.
func (db *DB) View(ctx context.Context, fn func(truce.Tx) error) error {
	sqlTx, err := db.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer sqlTx.Rollback()
	return fn(newTx(ctx, sqlTx))
}

// tx implements truce.Tx: package sqlstore's queries, with this store's
// savepoints and scans.
type tx struct {
	*sqlstore.Tx
	savepoints int // savepoints made, for their names
}

func newTx(ctx context.Context, sqlTx *sql.Tx) *tx {
	return &tx{Tx: sqlstore.New(ctx, "postgres", rebinder{sqlTx})}
}

// rebound caches queries written with ? placeholders, as the SQLite
// store's are, rewritten with PostgreSQL's $n.
var rebound sync.Map

// rebind numbers the ? placeholders of q. No query of this package has a
// ? inside a literal.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		} else {
			b.WriteByte(q[i])
		}
	}
	out := b.String()
	if n < 64 { // listings with many IN values are not worth keeping
		rebound.Store(q, out)
	}
	return out
}

// rebinder runs statements written with ? placeholders on a transaction.
type rebinder struct{ tx *sql.Tx }

func (r rebinder) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.tx.ExecContext(ctx, rebind(q), args...)
}

func (r rebinder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(ctx, rebind(q), args...)
}

func (r rebinder) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.tx.QueryRowContext(ctx, rebind(q), args...)
}

// Nested runs fn inside a savepoint, rolled back when fn fails (after a
// failed statement, PostgreSQL accepts nothing else until then). The
// cached log size is restored with it.
//
// Each savepoint has a name of its own, so that one that succeeded need
// not be released: group commit runs every command of a batch this way,
// and a RELEASE is a round trip to the server per command. The
// transaction's end discards them all.
func (t *tx) Nested(fn func() error) (err error) {
	t.savepoints++
	name := "nested_" + strconv.Itoa(t.savepoints)
	if err := t.Exec(`SAVEPOINT ` + name); err != nil {
		return err
	}
	size := t.Size
	undo := func() error {
		t.Size = size
		return t.Exec(`ROLLBACK TO SAVEPOINT ` + name)
	}
	defer func() {
		if p := recover(); p != nil {
			undo()
			panic(p)
		}
	}()
	if err = fn(); err != nil {
		if rerr := undo(); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	return err
}
