package main

import (
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tamperUnverified are the columns `truce log verify` cannot check,
// because nothing in the log determines them, with the reason; they are
// documented as such in workflow/verify.go and the schema. Any other
// column of any table, a new one included, must make verify fail when a
// stored value in it changes.
var tamperUnverified = map[string]string{
	"checkpoints.issued_at":    "when the server says it signed: the signed note has no time",
	"cosignatures.received_at": "when the server received it: the witness's own time is inside the signature, and checked",
	"credentials.*":            "bearer-token hashes, secrets kept out of the log",
	"responses.*":              "answers kept for idempotent retries, the server's and not a claim; kept out of the log",
	"drafts.*":                 "drafts read from published texts, awaiting review: no claim until filed; kept out of the log",
	"sessions.*":               "the map room's sessions (hashes of their ids), the servers' working state; kept out of the log",
}

// TestTamperEveryColumn changes one stored value in each column of each
// table of a realistic data directory, in turn, and requires `truce log
// verify` to fail; the columns in tamperUnverified must instead leave it
// passing, which proves that verify ignores them. Tables and columns come
// from sqlite_master and table_info, so a new one is covered without
// touching this test. With -short, the last column of each table.
func TestTamperEveryColumn(t *testing.T) {
	src := tamperWorld(t)
	db := tamperOpen(t, src.data)
	type column struct {
		table, name string
		key         []string // the primary key's columns, or rowid
	}
	var columns []column
	for _, table := range tamperTables(t, db) {
		rows, err := db.Query(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		var key []string
		for rows.Next() {
			var n string
			var pk int
			rows.Scan(&n, &pk)
			names = append(names, n)
			if pk > 0 {
				key = append(key, n)
			}
		}
		rows.Close()
		if len(key) == 0 {
			key = []string{"rowid"}
		}
		for i, n := range names {
			// -short (CI, under the race detector) tries every table, by
			// its last column, the one most lately added.
			if !testing.Short() || i == len(names)-1 {
				columns = append(columns, column{table, n, key})
			}
		}
	}
	db.Close()

	var caught, ignored atomic.Int64
	start := time.Now()
	t.Cleanup(func() {
		t.Logf("%d columns: a change to %d makes verify fail, %d are documented as not verified; %v",
			len(columns), caught.Load(), ignored.Load(), time.Since(start).Round(time.Millisecond))
	})
	for _, c := range columns {
		t.Run(c.table+"."+c.name, func(t *testing.T) {
			t.Parallel() // each on its own copy
			dir := tamperCopy(t, src.data)
			var change string
			tamperSQL(t, dir, func(db *sql.DB) error {
				var err error
				change, err = tamperChangeValue(db, c.table, c.name, c.key)
				return err
			})
			code, out := truceCLI("log", "verify", "--data", dir, "--quiet")
			out = strings.TrimSpace(out)
			reason, unverified := tamperUnverified[c.table+"."+c.name]
			if !unverified {
				reason, unverified = tamperUnverified[c.table+".*"]
			}
			if unverified {
				if code != 0 {
					t.Errorf("%s.%s is documented as not verified (%s), but after %s verify = %d %q: take it off the list and the documentation", c.table, c.name, reason, change, code, out)
				}
				ignored.Add(1)
				return
			}
			// A value the store itself cannot live with (a migration's
			// name) fails before verify starts, and that is a failure too.
			if code != 1 {
				t.Errorf("%s.%s: after %s, verify = %d %q, want a failure", c.table, c.name, change, code, out)
				return
			}
			caught.Add(1)
			if testing.Verbose() {
				t.Logf("%s → %s", change, clipLine(out, 200))
			}
		})
	}
}

// tamperChangeValue changes the value of column in one row of table where
// it is set, preferring a non-empty one, and says what it did: an integer
// gains one (or a million, when one collides with a key), a real a
// thousandth, text has a letter or digit near its middle replaced by the
// next one, a blob a bit of its middle byte flipped.
func tamperChangeValue(db *sql.DB, table, column string, key []string) (string, error) {
	q := func(s string) string { return `"` + s + `"` }
	keys := make([]string, len(key))
	where := make([]string, len(key))
	for i, k := range key {
		keys[i] = q(k)
		if k == "rowid" {
			keys[i] = "rowid"
		}
		where[i] = keys[i] + " = ?"
	}
	sel := fmt.Sprintf(`SELECT %s, %s FROM %s ORDER BY (%s IS NOT NULL AND CAST(%s AS TEXT) != '') DESC, %s LIMIT 1`,
		strings.Join(keys, ", "), q(column), q(table), q(column), q(column), strings.Join(keys, ", "))
	vals := make([]any, len(key)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRow(sel).Scan(ptrs...); err != nil {
		return "", fmt.Errorf("%s: %w", sel, err)
	}
	old := vals[len(key)]
	var candidates []any
	switch v := old.(type) {
	case int64:
		candidates = []any{v + 1, v + 1000000}
	case float64:
		candidates = []any{v + 0.001}
	case string:
		candidates = []any{nextChar(v)}
	case []byte:
		b := append([]byte(nil), v...)
		if len(b) == 0 {
			b = []byte{0}
		} else {
			b[len(b)/2] ^= 0x01
		}
		candidates = []any{b}
	case nil:
		candidates = []any{"x", int64(1)}
	default:
		return "", fmt.Errorf("%s.%s: value of type %T", table, column, old)
	}
	update := fmt.Sprintf(`UPDATE %s SET %s = ? WHERE %s`, q(table), q(column), strings.Join(where, " AND "))
	var err error
	for _, nv := range candidates {
		if _, err = db.Exec(update, append([]any{nv}, vals[:len(key)]...)...); err == nil {
			return fmt.Sprintf("%s.%s %s → %s", table, column, clipLine(fmt.Sprint(show(old)), 60), clipLine(fmt.Sprint(show(nv)), 60)), nil
		}
	}
	return "", fmt.Errorf("%s: %w", update, err)
}

func show(v any) any {
	if b, ok := v.([]byte); ok {
		return fmt.Sprintf("%d bytes", len(b))
	}
	return v
}

// nextChar replaces the letter or digit nearest the middle of s by the
// next one (z by a, 9 by 0), so that a time stays a time and JSON stays
// JSON; s without one gets an "x" more.
func nextChar(s string) string {
	b := []byte(s)
	for d := 0; d <= len(b); d++ {
		for _, i := range []int{len(b)/2 + d, len(b)/2 - d} {
			if i < 0 || i >= len(b) {
				continue
			}
			switch c := b[i]; {
			case c >= '0' && c <= '8', c >= 'a' && c <= 'y', c >= 'A' && c <= 'Y':
				b[i]++
				return string(b)
			case c == '9':
				b[i] = '0'
				return string(b)
			case c == 'z', c == 'Z':
				b[i] -= 25
				return string(b)
			}
		}
	}
	return s + "x"
}
