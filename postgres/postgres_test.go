package postgres_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"truce"
	"truce/postgres"
	"truce/postgres/pgtest"
	"truce/storetest"
)

// mustOpen opens a store on a new schema of the test server, closed when
// the test ends.
func mustOpen(tb testing.TB) *postgres.DB {
	tb.Helper()
	return mustOpenDSN(tb, pgtest.Schema(tb))
}

func mustOpenDSN(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// TestConformance runs the suite every store must pass, the one the SQLite
// store passes, against a real PostgreSQL server.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) truce.Store { return mustOpen(t) })
}

// TestAppendOnlyRawSQL checks that the database itself, not only the
// store, refuses to change the log: its triggers hold against any SQL a
// client with the DSN sends.
func TestAppendOnlyRawSQL(t *testing.T) {
	db := mustOpen(t)
	err := db.Update(t.Context(), func(tx truce.Tx) error {
		if err := tx.AppendEntry(0, []byte("entry 0"), [][32]byte{{1}}, nil); err != nil {
			return err
		}
		if err := tx.AddCheckpoint(&truce.Checkpoint{Size: 1, Root: [32]byte{1}, Note: "note"}); err != nil {
			return err
		}
		if err := tx.AddCosignature(&truce.Cosignature{Size: 1, Witness: "w", Line: "— w x\n"}); err != nil {
			return err
		}
		return tx.PutSetting("origin", "truce.example/log")
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE log_entries SET data = '\x00' WHERE idx = 0`,
		`UPDATE log_entries SET hashes = decode(repeat('00', 32), 'hex') WHERE idx = 0`,
		`DELETE FROM log_entries WHERE idx = 0`,
		`DELETE FROM log_entries`,
		`TRUNCATE log_entries CASCADE`,
		`INSERT INTO log_entries (idx, hashes, data) VALUES (0, decode(repeat('00', 32), 'hex'), '\x00') ON CONFLICT (idx) DO UPDATE SET data = excluded.data`,
		`UPDATE checkpoints SET note = 'forged'`,
		`DELETE FROM checkpoints`,
		`TRUNCATE checkpoints CASCADE`,
		`INSERT INTO checkpoints (size, root, note, issued_at) VALUES (1, decode(repeat('00', 32), 'hex'), 'forged', '') ON CONFLICT (size) DO UPDATE SET note = excluded.note`,
		`UPDATE cosignatures SET line = 'forged'`,
		`DELETE FROM cosignatures`,
		`UPDATE settings SET value = 'evil.example/log' WHERE key = 'origin'`,
		`DELETE FROM settings`,
		`TRUNCATE settings`,
		`INSERT INTO settings (key, value) VALUES ('origin', 'evil.example/log') ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
	} {
		if _, err := db.SQL().ExecContext(t.Context(), q); err == nil {
			t.Errorf("raw %s succeeded, want an error", q)
		}
	}
	err = db.View(t.Context(), func(tx truce.Tx) error {
		if d, err := tx.EntryData(0); err != nil || string(d) != "entry 0" {
			t.Errorf("EntryData(0) = %q, %v; want %q", d, err, "entry 0")
		}
		if hs, err := tx.ReadHashes([]int64{0}); err != nil || hs[0] != [32]byte{1} {
			t.Errorf("ReadHashes(0) = %x, %v", hs, err)
		}
		if c, err := tx.LatestCheckpoint(); err != nil || c.Note != "note" {
			t.Errorf("LatestCheckpoint() = %+v, %v", c, err)
		}
		if cs, err := tx.Cosignatures(1); err != nil || len(cs) != 1 || cs[0].Line != "— w x\n" {
			t.Errorf("Cosignatures(1) = %+v, %v", cs, err)
		}
		if v, err := tx.Setting("origin"); err != nil || v != "truce.example/log" {
			t.Errorf("Setting(origin) = %q, %v", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReopen checks that migrations apply once, also when two stores open
// the same schema at the same time, and that a store opened again keeps
// its data.
func TestReopen(t *testing.T) {
	dsn := pgtest.Schema(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("Open, three at once: %v", err)
		}
	}
	db := mustOpenDSN(t, dsn)
	err := db.Update(t.Context(), func(tx truce.Tx) error {
		return tx.AppendEntry(0, []byte("entry 0"), [][32]byte{{1}}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	db2 := mustOpenDSN(t, dsn)
	if d, err := entryData(t, db2, 0); err != nil || string(d) != "entry 0" {
		t.Errorf("EntryData(0) after reopening = %q, %v", d, err)
	}
	files, _ := filepath.Glob("migration/*.sql")
	if ok, err := db2.HasGeometry(t.Context()); err != nil {
		t.Fatal(err)
	} else if ok {
		more, _ := filepath.Glob("postgis/*.sql")
		files = append(files, more...)
	}
	var n int
	if err := db2.SQL().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil || n != len(files) || n == 0 {
		t.Errorf("migrations table holds %d rows, %v; want %d, one per file", n, err, len(files))
	}
}

func entryData(t *testing.T, db *postgres.DB, i int64) (data []byte, err error) {
	err = db.View(t.Context(), func(tx truce.Tx) error { data, err = tx.EntryData(i); return err })
	return data, err
}

// TestWritersOneSequence appends from several stores on one schema at
// once, as several truce processes do: every append lands, at the index
// it was given, with no gap and no index twice.
func TestWritersOneSequence(t *testing.T) {
	dsn := pgtest.Schema(t)
	stores := []*postgres.DB{mustOpenDSN(t, dsn), mustOpenDSN(t, dsn), mustOpenDSN(t, dsn)}
	const each = 30
	var wg sync.WaitGroup
	for w, db := range stores {
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					err := db.Update(context.Background(), func(tx truce.Tx) error {
						n, err := tx.LogSize()
						if err != nil {
							return err
						}
						return tx.AppendEntry(n, fmt.Appendf(nil, "w%d g%d #%d", w, g, i), hashes(n), nil)
					})
					if err != nil {
						t.Errorf("append: %v", err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	seen := map[string]bool{}
	err := stores[0].View(t.Context(), func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		if want := int64(len(stores) * 2 * each); n != want {
			t.Errorf("LogSize = %d, want %d", n, want)
		}
		next := int64(0)
		return tx.ScanEntries(0, n, func(i int64, data, _ []byte) error {
			if i != next || seen[string(data)] {
				t.Errorf("entry %d (%q): want index %d and no repeat", i, data, next)
			}
			next++
			seen[string(data)] = true
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hashes(index int64) [][32]byte {
	h := make([][32]byte, truce.HashesAdded(index))
	for i := range h {
		h[i][0] = byte(index)
	}
	return h
}

// TestHolderDies checks that when the process holding the writers' lock
// dies in the middle of a transaction (its connection closes), PostgreSQL
// undoes its writes and the next writer goes on.
func TestHolderDies(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := mustOpenDSN(t, dsn), mustOpenDSN(t, dsn)
	holding, release := make(chan int64), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.Update(context.Background(), func(tx truce.Tx) error {
			if err := tx.AppendEntry(0, []byte("never committed"), hashes(0), nil); err != nil {
				return err
			}
			var pid int64
			// The backend of this transaction, to terminate as a crash would.
			if err := a.SQL().QueryRowContext(context.Background(), `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
				AND classid = 1953658211 AND objid = ((hashtext(current_schema())::bigint & 4294967295)::oid)`).Scan(&pid); err != nil {
				return err
			}
			holding <- pid
			<-release
			return nil
		})
	}()
	pid := <-holding
	// b waits for the lock while a holds it.
	got := make(chan error, 1)
	go func() {
		got <- b.Update(context.Background(), func(tx truce.Tx) error {
			n, err := tx.LogSize()
			if err != nil {
				return err
			}
			if n != 0 {
				return fmt.Errorf("LogSize = %d after the holder died, want 0", n)
			}
			return tx.AppendEntry(0, []byte("entry 0"), hashes(0), nil)
		})
	}()
	select {
	case err := <-got:
		t.Fatalf("a second writer ran while the first held the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := b.SQL().ExecContext(t.Context(), `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("the writer after the holder died: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the lock was not released when its holder died")
	}
	close(release)
	if err := <-done; err == nil {
		t.Errorf("the dead holder's Update returned nil, want an error")
	}
	if d, err := entryData(t, b, 0); err != nil || string(d) != "entry 0" {
		t.Errorf("EntryData(0) = %q, %v; want the survivor's entry", d, err)
	}
}

// TestScanCallbacksQuery checks that a scan's callback may query the same
// transaction, as verify does, over more rows than a page.
func TestScanCallbacksQuery(t *testing.T) {
	db := mustOpen(t)
	const n = 1100
	err := db.Update(t.Context(), func(tx truce.Tx) error {
		for i := int64(0); i < n; i++ {
			if err := tx.AppendEntry(i, fmt.Appendf(nil, "e%d", i), hashes(i), nil); err != nil {
				return err
			}
			if i%100 == 99 {
				if err := tx.AddCheckpoint(&truce.Checkpoint{Size: i + 1, Note: "n"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	err = db.View(t.Context(), func(tx truce.Tx) error {
		if err := tx.ScanEntries(0, n, func(i int64, data, _ []byte) error {
			d, err := tx.EntryData(i)
			if err != nil || string(d) != string(data) {
				return fmt.Errorf("EntryData(%d) in ScanEntries = %q, %v", i, d, err)
			}
			count++
			return nil
		}); err != nil {
			return err
		}
		return tx.ScanCheckpoints(func(c *truce.Checkpoint) error {
			_, err := tx.EntryData(c.Size - 1)
			return err
		})
	})
	if err != nil || count != n {
		t.Fatalf("scan with queries in callbacks: %d entries, %v", count, err)
	}
}

// TestNested checks savepoints as group commit uses them: a command that
// fails is undone alone, even after a statement that failed (which, in
// PostgreSQL, aborts everything up to the savepoint); nested savepoints
// undo what is inside them; the cached log size follows.
func TestNested(t *testing.T) {
	db := mustOpen(t)
	fail := fmt.Errorf("command failed")
	err := db.Update(t.Context(), func(tx truce.Tx) error {
		app := func(data string) error {
			n, err := tx.LogSize()
			if err != nil {
				return err
			}
			return tx.AppendEntry(n, []byte(data), hashes(n), nil)
		}
		if err := tx.Nested(func() error { return app("kept 0") }); err != nil {
			return err
		}
		// A failed statement, then the command fails: undone, and the
		// transaction goes on.
		if err := tx.Nested(func() error {
			if err := app("undone"); err != nil {
				return err
			}
			if err := tx.PutSetting("k", "v"); err != nil {
				return err
			}
			return tx.PutSetting("k", "w") // refused: settings are fixed
		}); err == nil {
			return fmt.Errorf("Nested with a refused statement = nil error")
		}
		// Inner succeeds, outer fails: both undone.
		if err := tx.Nested(func() error {
			if err := tx.Nested(func() error { return app("undone inner") }); err != nil {
				return err
			}
			return fail
		}); err != fail {
			return fmt.Errorf("outer Nested = %v, want its own error", err)
		}
		// Inner fails, outer succeeds: only the inner undone.
		if err := tx.Nested(func() error {
			if err := app("kept 1"); err != nil {
				return err
			}
			if err := tx.Nested(func() error { app("undone inner 2"); return fail }); err != fail {
				return fmt.Errorf("inner Nested = %v", err)
			}
			return app("kept 2")
		}); err != nil {
			return err
		}
		// A panic undoes the command and goes on up.
		func() {
			defer func() { recover() }()
			tx.Nested(func() error { app("undone by panic"); panic("boom") })
		}()
		return app("kept 3")
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = db.View(t.Context(), func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		if _, err := tx.Setting("k"); truce.ErrorCode(err) != truce.ENOTFOUND {
			t.Errorf("Setting(k) of an undone command: %v, want ENOTFOUND", err)
		}
		return tx.ScanEntries(0, n, func(_ int64, data, _ []byte) error { got = append(got, string(data)); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"kept 0", "kept 1", "kept 2", "kept 3"}; !slices.Equal(got, want) {
		t.Errorf("entries = %q, want %q", got, want)
	}
}
