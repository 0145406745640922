package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"truce"
	"truce/agreements"
	tlog "truce/log"
	"truce/sqlite"
)

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, 2, "Usage:"},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"init", "--help"}, 0, "Usage: truce init"},
		{[]string{"serve", "--help"}, 0, "Usage: truce serve"},
		{[]string{"rebuild", "--help"}, 0, "Usage: truce rebuild"},
		{[]string{"dump", "--help"}, 0, "Usage: truce dump"},
		{[]string{"log", "verify", "--help"}, 0, "Usage: truce log verify"},
		{[]string{"log"}, 2, "Usage: truce log verify"},
		{[]string{"log", "audit"}, 2, `unknown subcommand "audit"`},
		{[]string{"init"}, 2, "--data DIR (or TRUCE_DATA) is required"},
		{[]string{"init", "--data", t.TempDir(), "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"rebuild", "--data", t.TempDir()}, 1, "is not a truce data directory"},
	} {
		t.Setenv("TRUCE_DATA", "")
		code, out := truceCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("truce %v = %d %q, want %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}
}

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	t.Setenv("TRUCE_DATA", dir)
	code, out := truceCLI("init")
	if code != 0 || !strings.Contains(out, "truce_") {
		t.Fatalf("truce init = %d %q", code, out)
	}
	if fi, err := os.Stat(filepath.Join(dir, keyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("log.key: %v, mode %v; want 0600", err, fi.Mode())
	}
	if code, out := truceCLI("init"); code != 1 || !strings.Contains(out, "is not empty") {
		t.Errorf("second truce init = %d %q, want a refusal", code, out)
	}
	if code, out := truceCLI("log", "verify"); code != 0 || !strings.Contains(out, "OK: 2 entries") {
		t.Errorf("truce log verify = %d %q", code, out)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("id: broken\ncolour: red\n"), 0o644)
	code, out = truceCLI("init", "--data", filepath.Join(t.TempDir(), "x"), "--agreement", bad)
	if code != 1 || !strings.Contains(out, "bad.yaml:2") {
		t.Errorf("init with a malformed agreement = %d %q, want an error naming bad.yaml:2", code, out)
	}
	code, out = truceCLI("init", "--data", filepath.Join(t.TempDir(), "x"), "--agreement", "geneva-2012")
	if code != 1 || !strings.Contains(out, "astana-2017") {
		t.Errorf("init with an unknown agreement = %d %q, want the built-ins listed", code, out)
	}
}

// TestDemo seeds a demo data directory as `truce serve --demo` does and
// checks that every demo member's token works and every state shows.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a full demo")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	m := &Main{DataDir: dir, Addr: "127.0.0.1:0", Demo: true, Stderr: io.Discard}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := &testServer{Main: m, dir: dir}
	defer m.Close()

	var tokens struct {
		Members []demoToken `json:"members"`
	}
	b, err := os.ReadFile(filepath.Join(dir, demoTokensFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tokens); err != nil {
		t.Fatal(err)
	}
	roles := map[truce.Role]int{}
	for _, tok := range tokens.Members {
		var me truce.Member
		if code := s.do(t, "GET", "/api/v1/me", tok.Token, nil, &me); code != 200 || me.Organisation != tok.Organisation || me.Role != tok.Role {
			t.Errorf("token of %s: GET /api/v1/me = %d %+v", tok.Name, code, me)
		}
		roles[tok.Role]++
	}
	for _, r := range []truce.Role{truce.RoleGuarantor, truce.RoleParty, truce.RoleMonitor, truce.RoleObserver, truce.RoleOperator} {
		if roles[r] == 0 {
			t.Errorf("no demo member with role %s", r)
		}
	}
	var page struct {
		Reports []reportJSON `json:"reports"`
	}
	s.do(t, "GET", "/api/v1/reports?limit=200", tokens.Members[1].Token, nil, &page)
	states := map[truce.State]int{}
	for _, r := range page.Reports {
		states[r.Consensus]++
	}
	if len(page.Reports) < 24 || len(states) != len(truce.States) {
		t.Errorf("demo has %d reports in states %v, want a few dozen in every state", len(page.Reports), states)
	}
	// The joint body's work around the reports shows too.
	guarantor := tokens.Members[1].Token
	var rfis struct {
		RFIs []struct{ State truce.RFIState } `json:"rfis"`
	}
	s.do(t, "GET", "/api/v1/rfis", guarantor, nil, &rfis)
	rfiStates := map[truce.RFIState]int{}
	for _, r := range rfis.RFIs {
		rfiStates[r.State]++
	}
	var meetings struct {
		Meetings []truce.Meeting `json:"meetings"`
	}
	s.do(t, "GET", "/api/v1/meetings", guarantor, nil, &meetings)
	meetingStates := map[string]int{}
	for _, m := range meetings.Meetings {
		meetingStates[m.State]++
	}
	var acc struct{ Settlements int }
	s.do(t, "GET", "/api/v1/accessions", "", nil, &acc)
	if len(rfiStates) != 3 || meetingStates[truce.MeetingStateMinuted] != 1 || meetingStates[truce.MeetingStateConvened] != 1 || acc.Settlements == 0 {
		t.Errorf("demo has requests %v, meetings %v, %d settlements; want every request state, a minuted and a convened meeting, and accessions",
			rfiStates, meetingStates, acc.Settlements)
	}
	// The map: real lines of contact with ISIL and HTS, a separation
	// list, and every report classified against it.
	var lines struct {
		Features []struct {
			Properties struct {
				Designated []truce.ActorID `json:"designated"`
				LengthKm   float64         `json:"length_km"`
			} `json:"properties"`
		} `json:"features"`
		ByGovernorate map[string]float64 `json:"by_governorate"`
	}
	s.do(t, "GET", "/api/v1/lines/designated", guarantor, nil, &lines)
	km := map[truce.ActorID]float64{}
	for _, f := range lines.Features {
		for _, d := range f.Properties.Designated {
			km[d] += f.Properties.LengthKm
		}
	}
	if km["ISIL"] < 500 || km["JFS"] < 200 || len(lines.ByGovernorate) < 5 {
		t.Errorf("demo lines with designated groups: %v km by group, %v by governorate; want long lines with ISIL and JFS across governorates", km, lines.ByGovernorate)
	}
	var sep struct {
		Pairs []struct {
			Designated struct {
				Kind  string        `json:"kind"`
				Actor truce.ActorID `json:"actor"`
			} `json:"designated"`
		} `json:"pairs"`
	}
	s.do(t, "GET", "/api/v1/separation", guarantor, nil, &sep)
	seen := map[string]bool{}
	for _, p := range sep.Pairs {
		seen[p.Designated.Kind+" "+string(p.Designated.Actor)] = true
	}
	if !seen["area JFS"] || !seen["area ISIL"] || !seen["position JFS"] {
		t.Errorf("demo separation list: %d pairs with %v; want JFS and ISIL areas and a JFS position", len(sep.Pairs), seen)
	}
	scopes := map[string]int{}
	for _, r := range page.Reports {
		if r.Classification == nil {
			t.Errorf("demo report %s has no classification", r.ID)
			continue
		}
		scopes[r.Classification.Scope]++
	}
	if scopes[truce.ScopeCovered] == 0 || scopes[truce.ScopeExcluded] == 0 || scopes[truce.ScopeDisputed] == 0 {
		t.Errorf("demo reports by scope: %v; want covered, excluded and disputed ones", scopes)
	}
	var excluded struct {
		Reports []reportJSON `json:"reports"`
	}
	s.do(t, "GET", "/api/v1/reports?limit=200&scope=excluded", guarantor, nil, &excluded)
	if len(excluded.Reports) != scopes[truce.ScopeExcluded] {
		t.Errorf("GET /api/v1/reports?scope=excluded: %d reports, want %d", len(excluded.Reports), scopes[truce.ScopeExcluded])
	}
	m.Close()
	db, err := sqlite.Open(filepath.Join(dir, "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	var reclassified int
	if err := db.View(context.Background(), func(tx truce.Tx) error {
		n, err := tx.LogSize()
		for i := int64(0); i < n && err == nil; i++ {
			var data []byte
			if data, err = tx.EntryData(i); err != nil {
				break
			}
			var e *truce.Entry
			if e, err = tlog.DecodeEntry(data); err == nil && e.Kind == truce.EntryReportClassified {
				reclassified++
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if reclassified == 0 {
		t.Error("the demo log has no report.classified entry: reports filed before Turkey approved the map were not classified again")
	}
	if code, out := truceCLI("log", "verify", "--data", dir, "--quiet"); code != 0 {
		t.Errorf("truce log verify on the demo = %d %s", code, out)
	}
	// Serving an existing demo directory again does not reseed it.
	m2 := &Main{DataDir: dir, Addr: "127.0.0.1:0", Demo: true, Stderr: io.Discard}
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, _ := m2.Service.LogSize(context.Background())
	m2.Close()
	if want := int64(2 + len(tokens.Members) - 1 + len(page.Reports)); n < want {
		t.Errorf("log of %d entries after a second start, want at least %d", n, want)
	}
}

// TestVerifyFindsTampering changes the database behind the log's back, as
// someone with the file could, and checks that verify names what changed.
func TestVerifyFindsTampering(t *testing.T) {
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"entry bytes", `UPDATE log_entries SET data = replace(data, 'Kafr Nabl', 'Kafr Nubl') WHERE idx = 4`, "FAIL: entry 4:"},
		{"entry removed", `DELETE FROM log_entries WHERE idx = 3`, "FAIL: entry 3: missing"},
		{"stored hash", `UPDATE log_entries SET hashes = zeroblob(64) WHERE idx = 3`, "FAIL: entry 3: stored hash"},
		{"checkpoint note", `UPDATE checkpoints SET note = replace(note, 'truce.test', 'truce.evil') WHERE size = (SELECT MAX(size) FROM checkpoints)`, "FAIL: checkpoint of size"},
		{"projection row", `UPDATE reports SET description = 'nothing happened' WHERE entry = 4`, "FAIL: projection row"},
		{"projection row added", `INSERT INTO members (id, name, organisation, role, added_at, entry) VALUES ('mem_aaaaaaaaaaaaaaaa', 'ghost', 'RU', 'guarantor', '2017-01-01T00:00:00.000000000Z', 999)`, "FAIL: projection row"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustRunServer(t)
			ru := s.addMember(t, "RU", truce.RoleGuarantor)
			for i := 0; i < 4; i++ {
				s.do(t, "POST", "/api/v1/reports", ru, sampleReport(), nil)
			}
			waitForCheckpoint(t, s)
			s.Close()
			if code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet"); code != 0 {
				t.Fatalf("verify before tampering = %d %s", code, out)
			}
			tamper(t, filepath.Join(s.dir, dbFile), tc.sql)
			code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet")
			if code != 1 || !strings.Contains(out, tc.want) {
				t.Errorf("verify after tampering with %s = %d %q, want exit 1 and %q", tc.name, code, out, tc.want)
			}
		})
	}
}

// tamper runs a statement on the database file with the append-only
// triggers dropped, as an attacker with the file could.
func tamper(tb testing.TB, path, stmt string) {
	tb.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		tb.Fatal(err)
	}
	var triggers []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		triggers = append(triggers, n)
	}
	rows.Close()
	for _, n := range triggers {
		if _, err := db.Exec(`DROP TRIGGER ` + n); err != nil {
			tb.Fatal(err)
		}
	}
	res, err := db.Exec(stmt)
	if err != nil {
		tb.Fatalf("%s: %v", stmt, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		tb.Fatalf("%s changed %d rows, want 1", stmt, n)
	}
}

// TestInitFailureLeavesNothing checks that an init that fails half-way
// leaves the directory empty, ready for another try.
func TestInitFailureLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	// An agreement without a secretariat passes parsing but not Init.
	b, ok := agreements.Builtin("astana-2017")
	if !ok {
		t.Fatal("no astana-2017")
	}
	i := strings.Index(string(b), "\nsecretariat:")
	j := strings.Index(string(b), "\nothers:")
	bad := filepath.Join(t.TempDir(), "no-secretariat.yaml")
	os.WriteFile(bad, append(append([]byte{}, b[:i]...), b[j:]...), 0o644)
	code, out := truceCLI("init", "--data", dir, "--agreement", bad)
	if code != 1 || !strings.Contains(out, "secretariat") {
		t.Fatalf("init without a secretariat = %d %q, want a failure naming the secretariat", code, out)
	}
	if empty, err := isEmptyDir(dir); err != nil || !empty {
		t.Errorf("after a failed init, %s is not empty (%v)", dir, err)
	}
	if code, out := truceCLI("init", "--data", dir); code != 0 {
		t.Errorf("init after a failed one = %d %q", code, out)
	}
}
