package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/postgres"
	"truce/postgres/pgtest"
)

// mustRunPGServer is mustRunServer on a new PostgreSQL database: init
// --db, then the server with the DSN the directory recorded.
func mustRunPGServer(tb testing.TB) (*testServer, string) {
	tb.Helper()
	dsn := pgtest.Database(tb)
	dir := filepath.Join(tb.TempDir(), "data")
	code, out, errOut := truceCLI3("init", "--data", dir, "--db", dsn, "--origin", "truce.test/pg")
	if code != 0 {
		tb.Fatalf("truce init --db: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if _, err := os.Stat(filepath.Join(dir, dbFile)); err == nil {
		tb.Errorf("init --db made %s: the log belongs in PostgreSQL", dbFile)
	}
	if b, err := os.ReadFile(filepath.Join(dir, dsnFile)); err != nil || strings.TrimSpace(string(b)) != dsn {
		tb.Errorf("%s = %q, %v; want the DSN", dsnFile, b, err)
	}
	// Given the directory alone: it names its database.
	s := &testServer{Main: &Main{DataDir: dir, Addr: "127.0.0.1:0", CheckpointInterval: 50 * time.Millisecond}, dir: dir, operator: token}
	if err := s.Run(context.Background()); err != nil {
		tb.Fatalf("Main.Run: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Main.Close: %v", err)
		}
	})
	return s, dsn
}

// TestPostgresEndToEnd runs the server on PostgreSQL, then log verify,
// dump and rebuild given --db alone (no data directory), and checks that a
// rebuild leaves the same rows and that init refuses a database that
// already holds a log.
func TestPostgresEndToEnd(t *testing.T) {
	s, dsn := mustRunPGServer(t)
	ru, opp := s.addMember(t, "RU", truce.RoleGuarantor), s.addMember(t, "OPP", truce.RoleParty)
	var r reportJSON
	if code := s.do(t, "POST", "/api/v1/reports", opp, sampleReport(), &r); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports = %d", code)
	}
	if code := s.do(t, "POST", "/api/v1/reports/"+r.ID+"/assessments", ru, map[string]any{"verdict": "dispute", "reason": "No fire seen."}, nil); code != http.StatusCreated {
		t.Fatalf("POST assessment = %d", code)
	}
	var got reportJSON
	if code := s.do(t, "GET", "/api/v1/reports/"+r.ID, opp, nil, &got); code != http.StatusOK || len(got.Assessments) != 1 {
		t.Errorf("GET report = %d %+v, want it with its assessment", code, got)
	}
	waitForCheckpoint(t, s)

	// Another server may run beside it on the same database: no file lock.
	m2 := &Main{DataDir: s.dir, Addr: "127.0.0.1:0", CheckpointInterval: time.Hour}
	if err := m2.Run(context.Background()); err != nil {
		t.Errorf("a second server on the same PostgreSQL database: %v", err)
	}
	m2.Close()
	s.Close()

	code, out := truceCLI("log", "verify", "--db", dsn, "--quiet")
	if code != 0 || !strings.HasPrefix(out, "OK:") {
		t.Fatalf("truce log verify --db = %d: %s", code, out)
	}
	_, before := truceCLI("dump", "--db", dsn)
	if code, out := truceCLI("rebuild", "--db", dsn); code != 0 {
		t.Fatalf("truce rebuild --db = %d: %s", code, out)
	}
	_, after := truceCLI("dump", "--db", dsn)
	if before != after || !strings.Contains(before, "reports\t") || !strings.Contains(before, r.ID) {
		t.Errorf("dump after rebuild differs, or lacks the report:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet"); code != 0 {
		t.Errorf("truce log verify --data (db.dsn) after rebuild = %d: %s", code, out)
	}
	// The other commands, given the directory (db.dsn) or --db alone.
	if code, out := truceCLI("export", "--db", dsn, "--format", "acled", "--role", "guarantor"); code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("truce export --db = %d, want a header and the one report:\n%s", code, out)
	}
	if code, _, errOut := truceCLI3("bulletin", "--data", s.dir, "--date", "2017-01-05", "--out", filepath.Join(t.TempDir(), "b.json")); code != 0 {
		t.Errorf("truce bulletin --data (db.dsn) = %d: %s", code, errOut)
	}
	if code, out := truceCLI("geo", "classify", "--db", dsn, "36.6347", "35.9321"); code != 0 || !strings.Contains(out, "SY07") {
		t.Errorf("truce geo classify --db = %d: %s", code, out)
	}
	// What needs the key needs the directory.
	if code, out := truceCLI("bulletin", "--db", dsn, "--date", "2017-01-05"); code == 0 || !strings.Contains(out, "--data") {
		t.Errorf("truce bulletin --db without --data = %d %q, want an error asking for --data", code, out)
	}
	// init refuses a database that holds a log.
	if code, _, errOut := truceCLI3("init", "--data", filepath.Join(t.TempDir(), "d2"), "--db", dsn); code == 0 || !strings.Contains(errOut, "already holds a log") {
		t.Errorf("truce init on a database with a log = %d %q, want already holds a log", code, errOut)
	}
	if code, _, errOut := truceCLI3("dump", "--db", "mysql://x"); code == 0 || !strings.Contains(errOut, "PostgreSQL URL") {
		t.Errorf("truce dump --db mysql://x = %d %q, want a refusal", code, errOut)
	}
}

// TestMigrateStore moves the demo's log (members, reports, assessments,
// zones, positions, meetings, checkpoints…) from SQLite to PostgreSQL:
// migrate-store verifies both and compares their projections line for
// line; log verify then gives the same root from either store, and the
// moved database serves the same members' tokens.
func TestMigrateStore(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo: not with -short")
	}
	dsn := pgtest.Database(t)
	dir := filepath.Join(t.TempDir(), "data")
	if err := seedDemo(context.Background(), dir, io.Discard); err != nil {
		t.Fatal(err)
	}
	// A checkpoint over the whole log, as a server would have left, and a
	// draft in a guarantor's review queue.
	var file struct{ Members []demoToken }
	b, err := os.ReadFile(filepath.Join(dir, demoTokensFile))
	if err != nil || json.Unmarshal(b, &file) != nil || len(file.Members) == 0 {
		t.Fatalf("demo tokens: %v", err)
	}
	toks := file.Members
	var officer string
	for _, m := range toks {
		if m.Role == truce.RoleGuarantor {
			officer = m.Token
		}
	}
	s := &testServer{Main: &Main{DataDir: dir, Addr: "127.0.0.1:0", CheckpointInterval: time.Hour}, dir: dir}
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var queued struct {
		Drafts []struct{ ID string } `json:"drafts"`
	}
	news := map[string]string{"text": "Syrian government forces shelled Jaish al-Islam positions in Douma on Tuesday, killing five civilians.", "date": "2017-04-05"}
	if code := s.do(t, "POST", "/api/v1/drafts", officer, news, &queued); code != http.StatusCreated || len(queued.Drafts) != 1 {
		t.Fatalf("POST /api/v1/drafts = %d, %d drafts", code, len(queued.Drafts))
	}
	tamperSignIn(t, s.URL(), officer) // a map room session, which moves too
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	code, before := truceCLI("log", "verify", "--data", dir, "--quiet")
	if code != 0 {
		t.Fatalf("log verify of the SQLite store = %d: %s", code, before)
	}
	code, out := truceCLI("migrate-store", "--from", dir, "--to", dsn, "--quiet")
	if code != 0 || !strings.HasPrefix(out, "OK: moved ") {
		t.Fatalf("migrate-store = %d: %s", code, out)
	}
	code, after := truceCLI("log", "verify", "--data", dir, "--db", dsn, "--quiet")
	if code != 0 {
		t.Fatalf("log verify of the PostgreSQL store = %d: %s", code, after)
	}
	root := func(s string) string { _, r, _ := strings.Cut(s, "root "); return strings.TrimSpace(r) }
	if root(before) == "" || root(before) != root(after) {
		t.Errorf("roots differ:\nSQLite:     %s\nPostgreSQL: %s", before, after)
	}
	_, dumpSQLite := truceCLI("dump", "--data", dir)
	_, dumpPG := truceCLI("dump", "--db", dsn)
	if dumpSQLite != dumpPG || strings.Count(dumpPG, "\n") < 100 {
		t.Errorf("dumps differ, or are short: %d and %d lines", strings.Count(dumpSQLite, "\n"), strings.Count(dumpPG, "\n"))
	}
	// Again: the database is no longer empty.
	if code, out := truceCLI("migrate-store", "--from", dir, "--to", dsn); code == 0 || !strings.Contains(out, "already holds a log") {
		t.Errorf("second migrate-store = %d %q, want a refusal", code, out)
	}
	// The demo's tokens work against the moved log, and the draft moved.
	s2 := &testServer{Main: &Main{DataDir: dir, DSN: dsn, Addr: "127.0.0.1:0", CheckpointInterval: time.Hour}, dir: dir}
	if err := s2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if code := s2.do(t, "GET", "/api/v1/reports?limit=1", toks[len(toks)-1].Token, nil, nil); code != http.StatusOK {
		t.Errorf("GET /api/v1/reports with a demo token on the moved log = %d", code)
	}
	var moved struct {
		Drafts []struct{ ID string } `json:"drafts"`
	}
	if code := s2.do(t, "GET", "/api/v1/drafts", officer, nil, &moved); code != http.StatusOK || len(moved.Drafts) != 1 || moved.Drafts[0].ID != queued.Drafts[0].ID {
		t.Errorf("GET /api/v1/drafts on the moved store = %d %+v, want the draft %s", code, moved.Drafts, queued.Drafts[0].ID)
	}
	pg, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	lite := tamperOpen(t, dir)
	defer lite.Close()
	var sessions [2]int
	for i, db := range []*sql.DB{lite, pg.SQL()} {
		if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM sessions`).Scan(&sessions[i]); err != nil {
			t.Fatal(err)
		}
	}
	if sessions[0] != 1 || sessions[1] != 1 {
		t.Errorf("sessions in SQLite and PostgreSQL: %v, want one in each", sessions)
	}
}

// TestPostgresDemo serves the demo on PostgreSQL: an empty directory and
// an empty database are seeded, and the demo's members can read.
func TestPostgresDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo: not with -short")
	}
	dsn := pgtest.Database(t)
	dir := filepath.Join(t.TempDir(), "demo")
	s := &testServer{Main: &Main{DataDir: dir, DSN: dsn, Demo: true, Addr: "127.0.0.1:0", CheckpointInterval: 50 * time.Millisecond}, dir: dir}
	if err := s.Run(context.Background()); err != nil {
		t.Fatalf("serve --demo --db: %v", err)
	}
	defer s.Close()
	if _, err := os.Stat(filepath.Join(dir, dbFile)); err == nil {
		t.Errorf("serve --demo --db made %s", dbFile)
	}
	var file struct{ Members []demoToken }
	b, err := os.ReadFile(filepath.Join(dir, demoTokensFile))
	if err != nil || json.Unmarshal(b, &file) != nil || len(file.Members) == 0 {
		t.Fatalf("demo tokens: %v", err)
	}
	var page struct {
		Reports []reportJSON `json:"reports"`
	}
	if code := s.do(t, "GET", "/api/v1/reports?limit=5", file.Members[len(file.Members)-1].Token, nil, &page); code != http.StatusOK || len(page.Reports) == 0 {
		t.Errorf("GET /api/v1/reports on the demo = %d, %d reports", code, len(page.Reports))
	}
	waitForCheckpoint(t, s)
	s.Close()
	if code, out := truceCLI("log", "verify", "--data", dir, "--quiet"); code != 0 {
		t.Errorf("log verify of the demo on PostgreSQL = %d: %s", code, out)
	}
}
