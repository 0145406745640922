package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"truce"
	"truce/postgres"
	"truce/sqlite"
)

// A data directory's store is its SQLite file, truce.db, by default. With
// --db postgres://… (or $TRUCE_DB), the log and its projections are in that
// PostgreSQL database instead, and the directory keeps what must not be in
// a database shared by several processes: the log's signing key (log.key),
// its public key, the evidence files and the witnesses' files. `truce init
// --data DIR --db DSN` writes the DSN into DIR/db.dsn (mode 0600: it may
// hold a password), so that later commands given DIR alone find the
// database; --db overrides it.
//
// Commands that only read the log (log verify, dump, rebuild, export,
// bulletin verify) take --db alone, without --data: they then check no
// evidence file and read no key.
const dsnFile = "db.dsn"

// noDataDir is what the files of a data directory resolve under when a
// command was given --db and no --data: a path that does not exist, so
// that every optional file (log.pub, witnesses.txt) is absent, never one
// found relative to the working directory.
const noDataDir = "/nonexistent/truce-no-data-directory"

// dbFlags holds the --db flag of each command's flag set: dataFlag adds it
// beside --data, and dbOf reads it.
var dbFlags struct {
	sync.Mutex
	m map[*flag.FlagSet]*string
}

// addDBFlag adds --db to fs, defaulting to $TRUCE_DB.
func addDBFlag(fs *flag.FlagSet) {
	v := fs.String("db", os.Getenv("TRUCE_DB"), "a PostgreSQL database (postgres://…) holding the log, instead of DIR/truce.db (default $TRUCE_DB, or the DSN in DIR/"+dsnFile+")")
	dbFlags.Lock()
	defer dbFlags.Unlock()
	if dbFlags.m == nil {
		dbFlags.m = map[*flag.FlagSet]*string{}
	}
	dbFlags.m[fs] = v
}

// dbOf returns the value of fs's --db, "" when it has none.
func dbOf(fs *flag.FlagSet) string {
	dbFlags.Lock()
	defer dbFlags.Unlock()
	if v := dbFlags.m[fs]; v != nil {
		return *v
	}
	return ""
}

// checkDSN refuses a --db that is not a PostgreSQL URL.
func checkDSN(dsn string) error {
	if dsn != "" && !postgres.IsDSN(dsn) {
		return fmt.Errorf("--db %q: give a PostgreSQL URL, postgres://USER@HOST:PORT/DATABASE", postgres.Redact(dsn))
	}
	return nil
}

// openDataDirDB opens a data directory whose store may be the PostgreSQL
// database dsn: dir and dsn both, dir alone (its truce.db, or the database
// its db.dsn names), or dsn alone (no key, no evidence).
func openDataDirDB(dir, dsn string) (*dataDir, error) {
	if err := checkDSN(dsn); err != nil {
		return nil, err
	}
	if dsn == "" {
		return openDataDir(dir)
	}
	if dir == "" {
		return &dataDir{dsn: dsn}, nil
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	return &dataDir{path: dir, dsn: dsn}, nil
}

// readDSN returns the DSN in dir's db.dsn, "" when there is none.
func readDSN(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, dsnFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	dsn := strings.TrimSpace(string(b))
	if err := checkDSN(dsn); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(dir, dsnFile), err)
	}
	return dsn, nil
}

// openDB opens the store: the PostgreSQL database when d has a DSN, else
// the SQLite file.
func (d *dataDir) openDB() (truce.Store, error) {
	if d.dsn != "" {
		return postgres.Open(context.Background(), d.dsn)
	}
	return sqlite.Open(d.file(dbFile))
}

// emptyLog reports whether the store's log has no entry: a database that
// init or the demo may initialise.
func emptyLog(ctx context.Context, s truce.Store) (bool, error) {
	var n int64
	err := s.View(ctx, func(tx truce.Tx) (err error) { n, err = tx.LogSize(); return err })
	return n == 0, err
}

// checkEmptyDB refuses to initialise a PostgreSQL database that already
// holds a log: a second server joins it with the first one's data
// directory (its log key), not with init.
func checkEmptyDB(ctx context.Context, dsn string) error {
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	empty, err := emptyLog(ctx, db)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s already holds a log; serve it with the data directory it was initialised with (which holds its log key): truce serve --data DIR --db DSN", postgres.Redact(dsn))
	}
	return nil
}
