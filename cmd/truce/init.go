package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"

	"truce/agreements"
	tlog "truce/log"
	"truce/workflow"
)

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("init", "init --data DIR [--db postgres://…] [--agreement NAME|FILE] [--origin ORIGIN]",
		"Creates a data directory: the SQLite database (or, with --db, the tables in an\n"+
			"empty PostgreSQL database, whose DSN goes to DIR/db.dsn), the log's Ed25519 key (log.key,\n"+
			"readable only by its owner; log.pub for verifiers) and the agreement as the\n"+
			"log's first entry. Prints the first operator's bearer token, once: it is\n"+
			"stored only hashed.", stderr)
	data := dataFlag(fs)
	agreement := fs.String("agreement", "astana-2017", "a built-in agreement name or a YAML file")
	origin := fs.String("origin", "", "the log's origin line (default truce.local/AGREEMENT/RANDOM)")
	operator := fs.String("operator-name", "operator", "the first operator's name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireData(fs, *data); err != nil {
		return err
	}
	if *data == "" {
		return fmt.Errorf("--data DIR is required: it holds the log key, also with --db")
	}
	_, token, err := initDataDir(ctx, *data, dbOf(fs), *agreement, *origin, *operator, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Initialised %s.\nOperator token (shown once, keep it safe):\n%s\n", *data, token)
	return nil
}

// initDataDir creates and initialises a data directory, which must be
// missing or empty, and returns it with the operator's token. now, when not
// nil, is the clock the first entries are stamped with.
//
// With dsn, the log goes into that PostgreSQL database, which must hold
// none yet, and the directory keeps the DSN in db.dsn.
func initDataDir(ctx context.Context, dir, dsn, agreement, origin, operator string, now func() time.Time) (*dataDir, string, error) {
	ok := false
	if empty, err := isEmptyDir(dir); err != nil {
		return nil, "", err
	} else if !empty {
		return nil, "", fmt.Errorf("%s is not empty; init needs a new or empty directory", dir)
	}
	if err := checkDSN(dsn); err != nil {
		return nil, "", err
	}
	if dsn != "" {
		if err := checkEmptyDB(ctx, dsn); err != nil {
			return nil, "", err
		}
	}
	a, _, err := agreements.Load(agreement)
	if err != nil {
		return nil, "", err
	}
	if origin == "" {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			return nil, "", err
		}
		origin = "truce.local/" + a.ID + "/" + hex.EncodeToString(b)
	}
	skey, vkey, err := tlog.GenerateKey(origin)
	if err != nil {
		return nil, "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	d := &dataDir{path: dir, dsn: dsn}
	// A failed init leaves the directory as empty as it found it, so that
	// it can be tried again.
	defer func() {
		if !ok {
			d.clear()
		}
	}()
	if err := os.WriteFile(d.file(keyFile), []byte(skey+"\n"), 0o600); err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(d.file(pubFile), []byte(vkey+"\n"), 0o644); err != nil {
		return nil, "", err
	}
	if dsn != "" {
		if err := os.WriteFile(d.file(dsnFile), []byte(dsn+"\n"), 0o600); err != nil {
			return nil, "", err
		}
	}
	svc, db, err := d.service(true)
	if err != nil {
		return nil, "", err
	}
	defer db.Close()
	if now != nil {
		svc.Now = now
	}
	_, token, err := svc.Init(ctx, workflow.InitOptions{Agreement: a, Origin: origin, Verifier: vkey, OperatorName: operator})
	if err != nil {
		db.Close()
		return nil, "", err
	}
	ok = true
	return d, token, nil
}

// agreementsLoad is agreements.Load, named for the commands that need an
// agreement without a data directory.
var agreementsLoad = agreements.Load
