// Package pgtest gives tests a PostgreSQL database of their own on the
// server named by $TRUCE_TEST_POSTGRES (a DSN; `bash scripts/pg run …`
// starts a throwaway server and sets it).
//
// Without it, a test is skipped on a developer's machine, with a message
// saying how to run it, and FAILS when $CI or $TRUCE_REQUIRE_POSTGRES is
// set: in CI a PostgreSQL that is missing is a failure, never a silent
// skip.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Env names the variable that holds the server's DSN.
const Env = "TRUCE_TEST_POSTGRES"

// DSN returns $TRUCE_TEST_POSTGRES, or skips tb (fails it in CI) when it is
// unset.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(Env)
	if dsn != "" {
		return dsn
	}
	if os.Getenv("CI") != "" || os.Getenv("TRUCE_REQUIRE_POSTGRES") != "" {
		tb.Fatalf("$%s is not set, and $CI or $TRUCE_REQUIRE_POSTGRES requires the PostgreSQL tests: run them under `bash scripts/pg run go test …`", Env)
	}
	tb.Skipf("$%s is not set: skipping the PostgreSQL tests (run `bash scripts/pg run go test ./...` to include them)", Env)
	return ""
}

// admin connects to the server's database as the DSN names it.
func admin(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	return stdlib.OpenDB(*cfg)
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Schema makes a new, empty schema in the database of $TRUCE_TEST_POSTGRES,
// dropped when tb ends, and returns a DSN whose search_path is it: a store
// opened with it is new and empty, and its writers' lock its own.
func Schema(tb testing.TB) string {
	tb.Helper()
	dsn := DSN(tb)
	db := admin(tb, dsn)
	defer db.Close()
	name := randomName("t_")
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+name); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		db := admin(tb, dsn)
		defer db.Close()
		if _, err := db.ExecContext(ctx, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	// Objects of extensions (PostGIS) live in public: keep it on the path.
	return withParam(dsn, "search_path", name+",public")
}

// Database makes a new database on the server of $TRUCE_TEST_POSTGRES,
// dropped when tb ends, and returns its DSN: for tests that run truce
// commands, which take a database rather than a schema.
func Database(tb testing.TB) string {
	tb.Helper()
	dsn := DSN(tb)
	db := admin(tb, dsn)
	defer db.Close()
	name := randomName("truce_test_")
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		db := admin(tb, dsn)
		defer db.Close()
		if _, err := db.ExecContext(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(dsn, name)
}

// withParam adds a connection parameter to a URL or key=value DSN.
func withParam(dsn, key, value string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

// withDatabase names another database in a URL or key=value DSN.
func withDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	var kept []string
	for _, f := range strings.Fields(dsn) {
		if !strings.HasPrefix(f, "dbname=") {
			kept = append(kept, f)
		}
	}
	return strings.Join(append(kept, "dbname="+name), " ")
}
