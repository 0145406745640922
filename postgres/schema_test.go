package postgres_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"truce/sqlite"
)

// postgresOnly are tables only the PostgreSQL store has, with the reason.
var postgresOnly = map[string]string{
	"zone_geometries": "zones as PostGIS geometry for analysts' SQL, where PostGIS is installed",
	"zone_map":        "the view of the map analysts query, over zone_geometries",
}

// TestSchemaLikeSQLite holds the two stores' schemas to the same tables
// and columns, each of the same kind of value, so that a migration added
// to one store and forgotten in the other fails here, not in a
// deployment: migrate-store and the shared query code depend on it.
func TestSchemaLikeSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "truce.db")
	lite, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lite.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	want := columnsOf(t, raw, `SELECT m.name, c.name, c.type FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)

	pg := mustOpen(t)
	got := columnsOf(t, pg.SQL(), `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	for table := range postgresOnly {
		for c := range got {
			if strings.HasPrefix(c, table+".") {
				delete(got, c)
			}
		}
	}
	if len(want) < 50 {
		t.Fatalf("SQLite schema has %d columns: not read", len(want))
	}
	var diff []string
	for c, kind := range want {
		switch g, ok := got[c]; {
		case !ok:
			diff = append(diff, fmt.Sprintf("%s (%s): in SQLite, not in PostgreSQL", c, kind))
		case g != kind:
			diff = append(diff, fmt.Sprintf("%s: %s in SQLite, %s in PostgreSQL", c, kind, g))
		}
	}
	for c, kind := range got {
		if _, ok := want[c]; !ok {
			diff = append(diff, fmt.Sprintf("%s (%s): in PostgreSQL, not in SQLite", c, kind))
		}
	}
	slices.Sort(diff)
	for _, d := range diff {
		t.Error(d)
	}
}

// columnsOf returns "table.column" → the kind of value it holds (integer,
// real, text, bytes), from a query of table, column and declared type.
func columnsOf(t *testing.T, db *sql.DB, q string) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var table, column, typ string
		if err := rows.Scan(&table, &column, &typ); err != nil {
			t.Fatal(err)
		}
		out[table+"."+column] = kind(typ)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// kind classes a declared type of either dialect.
func kind(typ string) string {
	switch t := strings.ToLower(typ); {
	case strings.Contains(t, "int"):
		return "integer"
	case t == "real" || strings.Contains(t, "double"):
		return "real"
	case t == "blob" || t == "bytea":
		return "bytes"
	case t == "text" || strings.Contains(t, "char"):
		return "text"
	default:
		return "other: " + t
	}
}
