package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/evidence"
	tlog "truce/log"
	"truce/places"
	"truce/workflow"
)

// Files of a data directory.
const (
	dbFile         = "truce.db"
	keyFile        = "log.key"          // the log's signing key; 0600
	pubFile        = "log.pub"          // the log's public key, to give to verifiers
	demoTokensFile = "demo-tokens.json" // written by serve --demo
	evidenceDir    = "evidence"         // evidence files, named by their SHA-256
)

// dataDir is an initialised data directory.
type dataDir struct {
	path string
	dsn  string // the PostgreSQL database holding the log, "" for truce.db (see db.go)
}

// isEmptyDir reports whether dir is missing or an empty directory.
func isEmptyDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	} else if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}

// openDataDir checks that dir was initialised.
func openDataDir(dir string) (*dataDir, error) {
	if dsn, err := readDSN(dir); err != nil {
		return nil, err
	} else if dsn != "" {
		return &dataDir{path: dir, dsn: dsn}, nil
	}
	if _, err := os.Stat(filepath.Join(dir, dbFile)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a truce data directory (no %s); create one with `truce init --data %s`, or serve demo data with `truce serve --demo --data %s`", dir, dbFile, dir, dir)
		}
		return nil, err
	}
	return &dataDir{path: dir}, nil
}

func (d *dataDir) file(name string) string {
	if d.path == "" {
		return filepath.Join(noDataDir, name)
	}
	return filepath.Join(d.path, name)
}

// clear removes what init and the demo write into a data directory, after
// a failure, so that the directory is as empty as it was.
func (d *dataDir) clear() {
	if d.path == "" {
		return
	}
	for _, name := range []string{dbFile, dbFile + "-wal", dbFile + "-shm", keyFile, pubFile, demoTokensFile, lockFile, dsnFile} {
		os.Remove(d.file(name))
	}
	os.RemoveAll(d.file(evidenceDir))
}

// openStore opens the store: truce.db, or the PostgreSQL database.
func (d *dataDir) openStore() (truce.Store, error) {
	return d.openDB()
}

// signer reads the log key.
func (d *dataDir) signer() (note.Signer, error) {
	b, err := os.ReadFile(d.file(keyFile))
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	s, err := tlog.NewSigner(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("log key %s: %w", d.file(keyFile), err)
	}
	return s, nil
}

// service opens the store and returns a service over it. withKey loads the
// log key, which only commands that append or sign need.
func (d *dataDir) service(withKey bool) (*workflow.Service, truce.Store, error) {
	if withKey && d.path == "" {
		return nil, nil, fmt.Errorf("this command needs the log key: give --data DIR, the data directory that holds it, beside --db")
	}
	db, err := d.openStore()
	if err != nil {
		return nil, nil, err
	}
	var signer note.Signer
	if withKey {
		if signer, err = d.signer(); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	svc := workflow.New(db, signer)
	svc.Admin = places.DefaultLocator()
	if d.path == "" {
		return svc, db, nil // no evidence files to read or check
	}
	if svc.Evidence, err = evidence.Open(d.file(evidenceDir)); err != nil {
		db.Close()
		return nil, nil, err
	}
	return svc, db, nil
}

// openFromFlags parses a command's flags, which must include --data (whose
// value is data, read after parsing), and opens the data directory's
// service without the log key: for the commands that only read the log.
func openFromFlags(fs *flag.FlagSet, args []string, data *string) (*dataDir, *workflow.Service, truce.Store, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, nil, nil, err
	}
	if err := requireData(fs, *data); err != nil {
		return nil, nil, nil, err
	}
	d, err := openDataDirDB(*data, dbOf(fs))
	if err != nil {
		return nil, nil, nil, err
	}
	svc, db, err := d.service(false)
	if err != nil {
		return nil, nil, nil, err
	}
	return d, svc, db, nil
}
