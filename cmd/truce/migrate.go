package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"truce"
	"truce/postgres"
	"truce/workflow"
)

func runMigrateStore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate-store", "migrate-store --from DIR --to postgres://…",
		"Moves a data directory's log from its SQLite file to an empty PostgreSQL\n"+
			"database: every entry with its bytes, Merkle hashes and sidecar, every\n"+
			"checkpoint and cosignature, the settings, the members' token hashes and the\n"+
			"kept idempotent answers, unchanged; then replays the log into the\n"+
			"database's projections, verifies both stores in full, and requires the same\n"+
			"root, the same counts and the same projection rows, line for line.\n\n"+
			"DIR is left as it was; it keeps the log key and the evidence files. Serve\n"+
			"the moved log with `truce serve --data DIR --db DSN`. Stop the server first.", stderr)
	from := fs.String("from", "", "the data directory whose truce.db to move (required)")
	to := fs.String("to", "", "the PostgreSQL database to move it to, postgres://… (required; its log must be empty)")
	quiet := fs.Bool("quiet", false, "print nothing but the verdict")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		fmt.Fprintln(stderr, "truce migrate-store: --from DIR and --to postgres://… are required")
		fs.Usage()
		return errUsage
	}
	if err := checkDSN(*to); err != nil {
		return err
	}
	d, err := openDataDir(*from)
	if err != nil {
		return err
	}
	if d.dsn != "" {
		return fmt.Errorf("%s already keeps its log in PostgreSQL (%s)", *from, dsnFile)
	}
	unlock, err := d.lock()
	if err != nil {
		return err
	}
	defer unlock()
	var progress workflow.Progress
	if !*quiet {
		progress = progressPrinter(stderr)
	}

	src, srcDB, err := d.service(false)
	if err != nil {
		return err
	}
	defer srcDB.Close()
	dst, dstDB, err := (&dataDir{path: d.path, dsn: *to}).service(false)
	if err != nil {
		return err
	}
	defer dstDB.Close()
	if empty, err := emptyLog(ctx, dstDB); err != nil {
		return err
	} else if !empty {
		return fmt.Errorf("%s already holds a log; migrate-store needs an empty database", postgres.Redact(*to))
	}

	start := time.Now()
	n, err := copyLog(ctx, d, srcDB, dstDB, progress)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := dst.Rebuild(ctx, progress); err != nil {
		return fmt.Errorf("the log was copied, but the projections were not built (run `truce rebuild --db DSN`): %w", err)
	}
	srcRep, err := verifyStore(ctx, d, src, progress)
	if err != nil {
		return fmt.Errorf("verify %s: %w", d.file(dbFile), err)
	}
	dstRep, err := verifyStore(ctx, d, dst, progress)
	if err != nil {
		return fmt.Errorf("verify %s: %w", postgres.Redact(*to), err)
	}
	if srcRep.Root != dstRep.Root || srcRep.Entries != dstRep.Entries || srcRep.Hashes != dstRep.Hashes ||
		srcRep.Checkpoints != dstRep.Checkpoints || srcRep.Cosignatures != dstRep.Cosignatures || srcRep.Rows != dstRep.Rows {
		return fmt.Errorf("the stores differ after the move: SQLite %+v, PostgreSQL %+v", *srcRep, *dstRep)
	}
	if err := sameDump(ctx, src, dst); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "OK: moved %d entries, %d hashes, %d checkpoints, %d cosignatures; %d projection rows alike; root %x, as before, in %s\n",
		n, dstRep.Hashes, dstRep.Checkpoints, dstRep.Cosignatures, dstRep.Rows, dstRep.Root[:], time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Serve it with: truce serve --data %s --db %s\n", d.path, postgres.Redact(*to))
	return nil
}

// copyBatch is how many entries the copy reads at a time.
const copyBatch = 1000

// copyLog copies what is not a projection from the SQLite store of d to
// dst, in one transaction of dst: the settings, the entries with their
// hashes and sidecars, checkpoints, cosignatures, credentials, kept
// responses, queued drafts and sessions. The store contract has no
// listing of settings, credentials, responses, every organisation's
// drafts and sessions, so those are read from the SQLite file directly.
func copyLog(ctx context.Context, d *dataDir, src, dst truce.Store, progress workflow.Progress) (int64, error) {
	raw, err := sql.Open("sqlite", "file:"+strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.Clean(d.file(dbFile)))+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	var n int64
	err = dst.Update(ctx, func(out truce.Tx) error {
		return src.View(ctx, func(in truce.Tx) error {
			if err := copyRaw(ctx, raw, out); err != nil {
				return err
			}
			var err error
			if n, err = in.LogSize(); err != nil {
				return err
			}
			for lo := int64(0); lo < n; lo += copyBatch {
				if err := copyEntries(in, out, lo, min(lo+copyBatch, n)); err != nil {
					return err
				}
				if progress != nil {
					progress("copy", min(lo+copyBatch, n), n)
				}
			}
			if err := in.ScanCheckpoints(out.AddCheckpoint); err != nil {
				return fmt.Errorf("checkpoints: %w", err)
			}
			if err := in.ScanCosignatures(out.AddCosignature); err != nil {
				return fmt.Errorf("cosignatures: %w", err)
			}
			return nil
		})
	})
	return n, err
}

// copyEntries copies entries [lo, hi) with the hashes each added: stored
// hashes StoredHashIndex(0, lo) up to StoredHashIndex(0, hi), in order.
func copyEntries(in, out truce.Tx, lo, hi int64) error {
	first, last := tlog.StoredHashIndex(0, lo), tlog.StoredHashIndex(0, hi)
	idx := make([]int64, 0, last-first)
	for x := first; x < last; x++ {
		idx = append(idx, x)
	}
	hashes, err := in.ReadHashes(idx)
	if err != nil {
		return fmt.Errorf("hashes of entries %d to %d: %w", lo, hi-1, err)
	}
	at := 0
	return in.ScanEntries(lo, hi, func(i int64, data, sidecar []byte) error {
		k := truce.HashesAdded(i)
		if err := out.AppendEntry(i, data, hashes[at:at+k], sidecar); err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
		at += k
		return nil
	})
}

// copyRaw copies settings, credentials, kept responses, queued drafts
// and the map room's sessions.
func copyRaw(ctx context.Context, raw *sql.DB, out truce.Tx) error {
	parse := func(s string) (time.Time, error) { return time.Parse("2006-01-02T15:04:05.000000000Z", s) }
	rows, err := raw.QueryContext(ctx, `SELECT key, value FROM settings ORDER BY key`)
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	err = eachRow(rows, func() error {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		return out.PutSetting(k, v)
	})
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if rows, err = raw.QueryContext(ctx, `SELECT token_hash, member, created_at FROM credentials ORDER BY token_hash`); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	err = eachRow(rows, func() error {
		var h []byte
		var member, created string
		if err := rows.Scan(&h, &member, &created); err != nil {
			return err
		}
		t, err := parse(created)
		if err != nil || len(h) != 32 {
			return fmt.Errorf("credential of %s: bad hash or time %q", member, created)
		}
		return out.AddCredential([32]byte(h), truce.MemberID(member), t)
	})
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	if rows, err = raw.QueryContext(ctx, `SELECT member, key, fingerprint, body, entry, created_at FROM responses ORDER BY member, key`); err != nil {
		return fmt.Errorf("responses: %w", err)
	}
	err = eachRow(rows, func() error {
		var r truce.StoredResponse
		var fp []byte
		var created string
		if err := rows.Scan(&r.Member, &r.Key, &fp, &r.Body, &r.Entry, &created); err != nil {
			return err
		}
		var err error
		if r.Created, err = parse(created); err != nil || len(fp) != 32 {
			return fmt.Errorf("response %s/%s: bad fingerprint or time %q", r.Member, r.Key, created)
		}
		r.Fingerprint = [32]byte(fp)
		return out.PutResponse(&r)
	})
	if err != nil {
		return fmt.Errorf("responses: %w", err)
	}
	if rows, err = raw.QueryContext(ctx, `SELECT id, organisation, queued_by, queued_at, seq, lang, date, source, text, draft FROM drafts ORDER BY id`); err != nil {
		return fmt.Errorf("drafts: %w", err)
	}
	err = eachRow(rows, func() error {
		var d truce.StoredDraft
		var at string
		if err := rows.Scan(&d.ID, &d.Organisation, &d.QueuedBy, &at, &d.Seq, &d.Lang, &d.Date, &d.Source, &d.Text, &d.Draft); err != nil {
			return err
		}
		var err error
		if d.QueuedAt, err = parse(at); err != nil {
			return fmt.Errorf("draft %s: bad time %q", d.ID, at)
		}
		return out.PutDraft(&d)
	})
	if err != nil {
		return fmt.Errorf("drafts: %w", err)
	}
	if rows, err = raw.QueryContext(ctx, `SELECT id_hash, member, csrf, created_at, seen_at FROM sessions ORDER BY id_hash`); err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	err = eachRow(rows, func() error {
		var ss truce.StoredSession
		var h []byte
		var created, seen string
		if err := rows.Scan(&h, &ss.Member, &ss.CSRF, &created, &seen); err != nil {
			return err
		}
		var err1, err2 error
		ss.Created, err1 = parse(created)
		ss.Seen, err2 = parse(seen)
		if err1 != nil || err2 != nil || len(h) != 32 {
			return fmt.Errorf("session of %s: bad hash or times %q, %q", ss.Member, created, seen)
		}
		ss.IDHash = [32]byte(h)
		return out.PutSession(&ss)
	})
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	return nil
}

// eachRow calls fn for each row, then closes rows.
func eachRow(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// verifyStore runs log verify's checks on svc's store.
func verifyStore(ctx context.Context, d *dataDir, svc *workflow.Service, progress workflow.Progress) (*workflow.VerifyReport, error) {
	scratch, cleanup, err := scratchStore()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	witnesses, err := witnessKeys(d)
	if err != nil {
		return nil, err
	}
	return svc.VerifyWith(ctx, scratch, workflow.VerifyOptions{Progress: progress, Witnesses: witnesses})
}

// sameDump requires the two services' projections to dump the same lines.
func sameDump(ctx context.Context, a, b *workflow.Service) error {
	var da, db bytes.Buffer
	for _, x := range []struct {
		s *workflow.Service
		w *bytes.Buffer
	}{{a, &da}, {b, &db}} {
		err := x.s.Dump(ctx, func(line []byte) error { x.w.Write(line); return x.w.WriteByte('\n') })
		if err != nil {
			return err
		}
	}
	if bytes.Equal(da.Bytes(), db.Bytes()) {
		return nil
	}
	la, lb := strings.Split(da.String(), "\n"), strings.Split(db.String(), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Errorf("projection row %d differs:\nSQLite:     %s\nPostgreSQL: %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Errorf("the projections differ: SQLite has %d rows, PostgreSQL %d", len(la)-1, len(lb)-1)
}
