package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"truce"
	"truce/sqlite"
	"truce/storetest"
)

// mustOpen opens a new database in a temporary directory, closed when the
// test ends.
func mustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "truce.db"))
}

func mustOpenPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) truce.Store { return mustOpen(t) })
}

func TestPragmas(t *testing.T) {
	db := mustOpen(t)
	for _, c := range []struct{ name, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"query_only", "0"}, // the writer writes
	} {
		if got, err := db.Pragma(c.name); err != nil || got != c.want {
			t.Errorf("Pragma(%q) = %q, %v; want %q, nil", c.name, got, err, c.want)
		}
	}
	for _, name := range []string{"", "synchronous = OFF", "journal_mode; DROP TABLE log_entries"} {
		if got, err := db.Pragma(name); err == nil {
			t.Errorf("Pragma(%q) = %q, nil; want an error", name, got)
		}
	}
	if got, err := db.Pragma("synchronous"); err != nil || got != "2" {
		t.Errorf("Pragma(synchronous) after bad names = %q, %v; want 2", got, err)
	}
}

// TestReopen checks that migrations apply once: a database opened again
// keeps its data and its schema.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "truce.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(t.Context(), func(tx truce.Tx) error {
		if err := tx.AppendEntry(0, []byte("entry 0"), [][32]byte{{1}}, nil); err != nil {
			return err
		}
		return tx.PutSetting("origin", "truce.example/log")
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		db := mustOpenPath(t, path)
		err := db.View(t.Context(), func(tx truce.Tx) error {
			if d, err := tx.EntryData(0); err != nil || string(d) != "entry 0" {
				t.Errorf("EntryData(0) after reopening = %q, %v; want %q", d, err, "entry 0")
			}
			if v, err := tx.Setting("origin"); err != nil || v != "truce.example/log" {
				t.Errorf("Setting(origin) after reopening = %q, %v", v, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob("migration/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration files: %v", err)
	}
	raw := rawOpen(t, path)
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil || n != len(files) {
		t.Errorf("migrations table holds %d rows, %v; want %d, one per file", n, err, len(files))
	}
}

// rawOpen opens the database file with database/sql alone, as someone with
// access to the file could, bypassing the store.
func rawOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// TestAppendOnlyRawSQL checks that the database itself, not only the store,
// refuses to change the log: the triggers hold against any SQL.
func TestAppendOnlyRawSQL(t *testing.T) {
	db := mustOpen(t)
	err := db.Update(t.Context(), func(tx truce.Tx) error {
		if err := tx.AppendEntry(0, []byte("entry 0"), [][32]byte{{1}}, nil); err != nil {
			return err
		}
		if err := tx.AddCheckpoint(&truce.Checkpoint{Size: 1, Root: [32]byte{1}, Note: "note"}); err != nil {
			return err
		}
		if err := tx.AddCosignature(&truce.Cosignature{Size: 1, Witness: "w.example/RU", Line: "line"}); err != nil {
			return err
		}
		return tx.PutSetting("origin", "truce.example/log")
	})
	if err != nil {
		t.Fatal(err)
	}
	raw := rawOpen(t, db.Path())
	for _, q := range []string{
		`UPDATE log_entries SET data = x'00' WHERE idx = 0`,
		`DELETE FROM log_entries WHERE idx = 0`,
		`DELETE FROM log_entries`,
		`INSERT OR REPLACE INTO log_entries (idx, hashes, data) VALUES (0, zeroblob(32), x'00')`,
		`REPLACE INTO log_entries (idx, hashes, data) VALUES (0, zeroblob(32), x'00')`,
		`INSERT INTO log_entries (idx, hashes, data) VALUES (0, zeroblob(32), x'00') ON CONFLICT (idx) DO UPDATE SET data = excluded.data`,
		`UPDATE log_entries SET hashes = zeroblob(32) WHERE idx = 0`,
		`UPDATE checkpoints SET note = 'forged'`,
		`DELETE FROM checkpoints`,
		`INSERT OR REPLACE INTO checkpoints (size, root, note, issued_at) VALUES (1, zeroblob(32), 'forged', '')`,
		`UPDATE cosignatures SET line = 'forged'`,
		`DELETE FROM cosignatures`,
		`INSERT OR REPLACE INTO cosignatures (size, witness, line, received_at) VALUES (1, 'w.example/RU', 'forged', '')`,
		`UPDATE settings SET value = 'evil.example/log' WHERE key = 'origin'`,
		`DELETE FROM settings`,
		`INSERT OR REPLACE INTO settings (key, value) VALUES ('origin', 'evil.example/log')`,
	} {
		if _, err := raw.Exec(q); err == nil {
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
		if cs, err := tx.Cosignatures(1); err != nil || len(cs) != 1 || cs[0].Line != "line" {
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

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	text := strings.Repeat("These are notes, not a database.\n", 200)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path)
	if err == nil {
		db.Close()
		t.Fatalf("Open(%q) = nil error, want an error", path)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "not a database") {
		t.Errorf("Open(%q) error = %q, want it to name the file and say it is not a database", path, msg)
	}
	if got, _ := os.ReadFile(path); string(got) != text {
		t.Errorf("Open changed the file it refused")
	}
}

// TestOpenAwkwardPath opens databases whose paths hold characters that mean
// something in a URI: each must be the file named, not another.
func TestOpenAwkwardPath(t *testing.T) {
	for _, name := range []string{"a b.db", "a#b.db", "a?b.db", "a%41b.db", "a&_pragma=query_only(1).db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			db := mustOpenPath(t, path)
			err := db.Update(t.Context(), func(tx truce.Tx) error { return tx.AppendEntry(0, []byte("x"), [][32]byte{{1}}, nil) })
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("the database is not at %q: %v", path, err)
			}
			files, _ := os.ReadDir(dir)
			for _, f := range files {
				if n := f.Name(); !strings.HasPrefix(n, name) {
					t.Errorf("Open(%q) made file %q", path, n)
				}
			}
		})
	}
}
