package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
)

// TestTamper is the tamper-detection harness (issue 7): it builds a data
// directory through the real server — reports with casualties, sources,
// source identities and evidence, assessments, replies, RFIs and answers,
// a meeting, an accession, zones, positions, a member's signed
// submissions —, verifies untouched copies of it, then damages copies
// behind the server's back, one kind of damage each, and requires
// `truce log verify --witness` (given the witness's saved state) to fail
// naming the kind. Run it in full with
//
//	go test ./cmd/truce -run TestTamper -v -tamper.copies 100
//
// -tamper.kinds picks kinds by name (comma-separated; "all" by default).
// Every column of every table is changed in turn by TestTamperEveryColumn.
func TestTamper(t *testing.T) {
	src := tamperWorld(t)
	copies := *tamperCopies
	if copies == 0 {
		copies = 10
		if testing.Short() {
			copies = 2
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-18s %-7s %-8s %s\n", "kind", "result", "time", "truce log verify says")

	// Every verify is given the witness's saved state too, as a guarantor
	// checking a copy of the log would give it.
	verify := func(dir string) (int, string) {
		code, out := truceCLI("log", "verify", "--data", dir, "--quiet", "--witness", src.witness)
		return code, strings.TrimSpace(out)
	}
	var took time.Duration
	var ok string
	for i := 0; i < copies; i++ {
		dir := tamperCopy(t, src.data)
		start := time.Now()
		code, out := verify(dir)
		took += time.Since(start)
		if code != 0 || !strings.HasPrefix(out, "OK:") {
			t.Fatalf("untouched copy %d: truce log verify = %d %s", i, code, out)
		}
		ok = out
		os.RemoveAll(dir)
	}
	per := (took / time.Duration(copies)).Round(time.Millisecond)
	fmt.Fprintf(&table, "%-18s %-7s %-8s %d copies pass (%v in all): %s\n", "untouched", "pass", per, copies, took.Round(time.Millisecond), clipLine(ok, 110))

	for _, k := range tamperKindsSelected(t) {
		t.Run(k.name, func(t *testing.T) {
			dir := tamperCopy(t, src.data)
			k.apply(t, dir)
			start := time.Now()
			code, out := verify(dir)
			took := time.Since(start).Round(time.Millisecond)
			result := "caught"
			if code != 1 || !strings.HasPrefix(out, "FAIL: ") || !strings.HasSuffix(out, "["+string(k.damage)+"]") {
				t.Errorf("%s: verify = %d %q, want exit 1 naming [%s]", k.name, code, out, k.damage)
				result = "MISSED"
			} else if k.says != "" && !strings.Contains(out, k.says) {
				t.Errorf("%s: verify says %q, want it to say %q", k.name, out, k.says)
			}
			if k.witnessOnly {
				// Without the witness's state the log is self-consistent;
				// `truce witness check` tells as verify --witness does.
				if code, out := truceCLI("log", "verify", "--data", dir, "--quiet"); code != 0 {
					t.Errorf("%s: verify without --witness = %d %q; the log is self-consistent, want it to pass", k.name, code, out)
				}
				if code, out := truceCLI("witness", "check", "--data", dir, "--witness", src.witness); code != 1 || !strings.Contains(out, k.says) {
					t.Errorf("%s: truce witness check = %d %q, want exit 1 saying %q", k.name, code, out, k.says)
				}
				result = "witness"
			}
			fmt.Fprintf(&table, "%-18s %-7s %-8s %s\n", k.name, result, took, clipLine(out, 150))
		})
	}
	t.Log(table.String())
}

var (
	tamperCopies = flag.Int("tamper.copies", 0, "untouched copies TestTamper verifies (0: 10, 2 with -short)")
	tamperKinds  = flag.String("tamper.kinds", "all", "kinds of damage TestTamper applies, comma-separated")
)

func tamperKindsSelected(t *testing.T) []tamperKind {
	all := tamperKindList()
	if *tamperKinds == "all" {
		return all
	}
	var out []tamperKind
	for _, name := range strings.Split(*tamperKinds, ",") {
		i := slices.IndexFunc(all, func(k tamperKind) bool { return k.name == name })
		if i < 0 {
			var names []string
			for _, k := range all {
				names = append(names, k.name)
			}
			t.Fatalf("-tamper.kinds: no kind %q; kinds are %s", name, strings.Join(names, ","))
		}
		out = append(out, all[i])
	}
	return out
}

func clipLine(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " | ")
	if len(s) <= n {
		return s
	}
	return s[:n/2] + " … " + s[len(s)-n/2:]
}

// tamperWorld builds, through the server, a data directory that has a
// row in every table and a file in the evidence store, with every entry
// under a checkpoint, and returns it with the server stopped.
func tamperWorld(tb testing.TB) tamperSource {
	tb.Helper()
	s, src := tamperServe(tb)
	w := authzNewWorld(tb, s)

	// Reports in full: casualties, sources, a source identity (sealed in
	// the log), an OSCE fire record, a place; and plain ones.
	full := sampleReport()
	full["source_identity"] = "a shepherd from Kafr Nabl"
	full["sources"] = []string{"Observation post 7", "SOHR"}
	full["casualties"] = map[string]any{
		"killed":           map[string]int{"low": 2, "best": 3, "high": 5},
		"injured":          map[string]int{"low": 4, "best": 6, "high": 9},
		"killed_civilians": map[string]int{"low": 1, "best": 2, "high": 3},
	}
	full["place"] = "Kafr Nabl"
	full["target"] = "OPP"
	var report authzReport
	w.must(tb, http.StatusCreated, "POST", "/api/v1/reports", w.tr, "application/json", authzJSON(tb, full), &report)
	w.report = report.ID
	w.addEvidence(tb, w.tr, report.ID, "post7.txt", []byte("Observation post 7, 04:10: three impacts east of the mosque.\n"))
	w.addEvidence(tb, w.tr, report.ID, "photo.png", authzPNG(tb))
	for _, g := range []string{w.ru, w.ir} {
		w.must(tb, http.StatusCreated, "POST", "/api/v1/reports/"+report.ID+"/assessments", g, "application/json", []byte(`{"verdict":"confirm"}`), nil)
	}
	opp := w.fileReport(tb, w.opp, "Syrian Arab Army")
	w.must(tb, http.StatusCreated, "POST", "/api/v1/reports/"+opp.ID+"/assessments", w.ru, "application/json", []byte(`{"verdict":"dispute","reason":"Our post saw no fire."}`), nil)
	w.must(tb, http.StatusCreated, "POST", "/api/v1/reports/"+opp.ID+"/assessments", w.tr, "application/json", []byte(`{"verdict":"confirm"}`), nil)
	w.must(tb, http.StatusCreated, "POST", "/api/v1/reports/"+opp.ID+"/replies", w.syg, "application/json", []byte(`{"text":"The army returned fire at a JFS position."}`), nil)
	w.fileReport(tb, w.unMonitor, "")

	// An RFI answered, one open; a minuted meeting; an accession.
	rfi := w.sendRFI(tb, w.ru, "SYG", "Which units fired from the ridge?")
	w.must(tb, http.StatusCreated, "POST", "/api/v1/rfis/"+rfi+"/answers", w.syg, "application/json", []byte(`{"text":"None of ours."}`), nil)
	w.sendRFI(tb, w.tr, "OPP", "Were your units on the ridge?")
	var meeting struct {
		ID string `json:"id"`
	}
	mtg := authzMeetingInput(20)
	mtg["agenda"] = map[string]any{"reports": []string{report.ID}, "rfis": []string{rfi}, "note": "The ridge."}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/meetings", w.ru, "application/json", authzJSON(tb, mtg), &meeting)
	for _, g := range []string{w.ir, w.tr} {
		w.must(tb, http.StatusCreated, "POST", "/api/v1/meetings/"+meeting.ID+"/approvals", g, "application/json", []byte(`{"proposal":1}`), nil)
	}
	minutes := map[string]any{"minutes": "The body examined the ridge.", "decisions": []map[string]any{{"report": report.ID, "decision": "A joint patrol will visit."}}}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/meetings/"+meeting.ID+"/minutes", w.ru, "application/json", authzJSON(tb, minutes), nil)
	w.must(tb, http.StatusCreated, "POST", "/api/v1/accessions", w.tr, "application/json",
		[]byte(`{"kind":"settlement","pcode":"C1234","name":"Kafr Nabl","date":"2017-02-01"}`), nil)

	// The map: an approved area around the report, a confirmed position of
	// a designated group (which classifies the report again), a proposal.
	area := w.zoneInput("OPP")
	area["features"].([]any)[0].(map[string]any)["geometry"] = map[string]any{"type": "Polygon",
		"coordinates": [][][2]float64{{{36.60, 35.90}, {36.68, 35.90}, {36.68, 35.96}, {36.60, 35.96}, {36.60, 35.90}}}}
	var areas struct {
		Zones []struct {
			ID string `json:"id"`
		} `json:"zones"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/zones", w.tr, "application/json", authzJSON(tb, area), &areas)
	for _, g := range []string{w.ru, w.ir, w.tr} {
		w.must(tb, http.StatusCreated, "POST", "/api/v1/zones/"+areas.Zones[0].ID+"/approvals", g, "application/json", []byte(`{}`), nil)
	}
	pin := authzPositionInput("JFS")
	pin["lon"], pin["lat"] = 36.6339, 35.9306
	var claimed struct {
		ID string `json:"id"`
	}
	w.must(tb, http.StatusCreated, "POST", "/api/v1/positions", w.tr, "application/json", authzJSON(tb, pin), &claimed)
	for _, g := range []string{w.ru, w.ir} {
		w.must(tb, http.StatusCreated, "POST", "/api/v1/positions/"+claimed.ID+"/assessments", g, "application/json", []byte(`{"verdict":"confirm"}`), nil)
	}
	w.proposeZone(tb, w.tr, "SYG")

	// A request with an Idempotency-Key, whose answer the server keeps.
	req, _ := http.NewRequest("POST", s.URL()+"/api/v1/reports/"+report.ID+"/assessments", strings.NewReader(`{"verdict":"confirm"}`))
	req.Header.Set("Authorization", "Bearer "+w.tr)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "tamper-1")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusCreated {
		tb.Fatalf("assessment with an Idempotency-Key: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// A member signed in to the map room: sessions are kept outside the log.
	tamperSignIn(tb, s.URL(), w.ru)

	// A news text queued for review: drafts wait outside the log.
	w.must(tb, http.StatusCreated, "POST", "/api/v1/drafts", w.tr, "application/json",
		[]byte(`{"text":"Syrian government forces shelled Jaish al-Islam positions in Douma on Tuesday, killing five civilians.","date":"2017-04-05","source":"https://example.org/douma"}`), nil)

	// IR's officer registers a key and signs a report and an assessment:
	// entries whose sidecars keep signed notes.
	dir := tb.TempDir()
	key := filepath.Join(dir, "ir.key")
	if code, out := truceCLI("key", "generate", "--name", string(s.memberID(tb, w.ir)), "--out", key); code != 0 {
		tb.Fatalf("truce key generate = %d %s", code, out)
	}
	if code, out := s.cli(tb, w.ir, "key", "register", "--key", key); code != 0 {
		tb.Fatalf("truce key register = %d %s", code, out)
	}
	reportFile := filepath.Join(dir, "report.json")
	body, _ := json.Marshal(full)
	os.WriteFile(reportFile, body, 0o644)
	code, out := s.cli(tb, w.ir, "submit", "report", reportFile, "--key", key)
	if code != 0 {
		tb.Fatalf("truce submit report = %d %s", code, out)
	}
	var signed reportJSON
	if err := json.Unmarshal([]byte(out), &signed); err != nil {
		tb.Fatalf("truce submit report printed %q", out)
	}
	if code, out := s.cli(tb, w.ir, "submit", "assessment", opp.ID, "--verdict", "dispute", "--reason", "Not seen.", "--key", key); code != 0 {
		tb.Fatalf("truce submit assessment = %d %s", code, out)
	}

	waitForCheckpoint(tb, s)
	if err := s.Close(); err != nil { // the witness cosigns the last checkpoint
		tb.Fatal(err)
	}
	if err := src.witnessMain.Close(); err != nil {
		tb.Fatal(err)
	}
	db := tamperOpen(tb, s.dir)
	defer db.Close()
	for _, table := range tamperTables(tb, db) {
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM "` + table + `"`).Scan(&n)
		if n == 0 {
			tb.Errorf("the tamper world has no row in table %s: seed one, so that changing it is tried", table)
		}
	}
	return src
}

// tamperSource is the data directory the harness damages copies of, and
// the directory of the witness that cosigned its checkpoints.
type tamperSource struct {
	data, witness string
	witnessMain   *WitnessMain
}

// tamperServe initialises a data directory, starts a witness of its log
// and lists it in the directory's witnesses.txt, then serves the
// directory until the test ends, as mustRunServer does.
func tamperServe(tb testing.TB) (*testServer, tamperSource) {
	tb.Helper()
	root := tb.TempDir()
	src := tamperSource{data: filepath.Join(root, "data"), witness: filepath.Join(root, "witness")}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"init", "--data", src.data, "--origin", "truce.test/e2e"}, &out, &errOut); code != 0 {
		tb.Fatalf("truce init: exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	vkey, err := initWitnessDir(src.witness, "truce.test/witness/RU")
	if err != nil {
		tb.Fatal(err)
	}
	src.witnessMain = &WitnessMain{Dir: src.witness, LogKey: filepath.Join(src.data, pubFile), Addr: "127.0.0.1:0"}
	if err := src.witnessMain.Run(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { src.witnessMain.Close() })
	if err := os.WriteFile(filepath.Join(src.data, witnessesFile), []byte(vkey+" "+src.witnessMain.URL()+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	s := &testServer{Main: &Main{DataDir: src.data, Addr: "127.0.0.1:0", CheckpointInterval: 50 * time.Millisecond},
		dir: src.data, operator: lines[len(lines)-1]}
	if err := s.Run(context.Background()); err != nil {
		tb.Fatalf("Main.Run: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, src
}

// tamperCopy copies a data directory, modes included, into a new
// temporary directory.
func tamperCopy(tb testing.TB, src string) string {
	tb.Helper()
	dst := filepath.Join(tb.TempDir(), "copy")
	var dirs []string
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, to)
			return os.MkdirAll(to, 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(to, b, 0o600); err != nil {
			return err
		}
		return os.Chmod(to, info.Mode().Perm())
	})
	if err != nil {
		tb.Fatal(err)
	}
	return dst
}

// tamperOpen opens a data directory's database as someone holding the
// file would: with SQL, not with truce.
func tamperOpen(tb testing.TB, dir string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, dbFile))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	// Damage need not survive a crash of the machine: no fsync per statement.
	if _, err := db.Exec(`PRAGMA synchronous = OFF`); err != nil {
		tb.Fatal(err)
	}
	return db
}

// tamperTables lists the database's tables.
func tamperTables(tb testing.TB, db *sql.DB) []string {
	tb.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// tamperSQL runs fn on a data directory's database with its triggers
// dropped, as an attacker with the file could, and creates them again
// afterwards, so that the schema is as it was.
func tamperSQL(tb testing.TB, dir string, fn func(db *sql.DB) error) {
	tb.Helper()
	db := tamperOpen(tb, dir)
	defer db.Close()
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		tb.Fatal(err)
	}
	var names, defs []string
	for rows.Next() {
		var n, d string
		rows.Scan(&n, &d)
		names, defs = append(names, n), append(defs, d)
	}
	rows.Close()
	for _, n := range names {
		if _, err := db.Exec(`DROP TRIGGER "` + n + `"`); err != nil {
			tb.Fatal(err)
		}
	}
	if err := fn(db); err != nil {
		tb.Fatalf("tampering: %v", err)
	}
	for _, d := range defs {
		if _, err := db.Exec(d); err != nil {
			tb.Fatal(err)
		}
	}
}

// tamperEntry is a stored entry as the attacker reads it.
type tamperEntry struct {
	idx     int64
	data    []byte
	hashes  []byte
	sidecar []byte
	e       *truce.Entry
}

func tamperEntries(tb testing.TB, db *sql.DB) []*tamperEntry {
	tb.Helper()
	rows, err := db.Query(`SELECT idx, data, hashes, sidecar FROM log_entries ORDER BY idx`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []*tamperEntry
	for rows.Next() {
		x := &tamperEntry{}
		if err := rows.Scan(&x.idx, &x.data, &x.hashes, &x.sidecar); err != nil {
			tb.Fatal(err)
		}
		if x.e, err = tlog.DecodeEntry(x.data); err != nil {
			tb.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

// tamperFind returns the first entry of kind after entry from whose bytes
// contain sub.
func tamperFind(tb testing.TB, es []*tamperEntry, from int64, kind truce.EntryKind, sub string) *tamperEntry {
	tb.Helper()
	for _, x := range es {
		if x.idx > from && x.e.Kind == kind && bytes.Contains(x.data, []byte(sub)) {
			return x
		}
	}
	tb.Fatalf("no %s entry after %d holding %q", kind, from, sub)
	return nil
}

// tamperRewrite stores entries as the whole log, with their indexes and
// Merkle hashes recomputed as truce would compute them: what an attacker
// without the log key can do to make a changed log self-consistent.
func tamperRewrite(tb testing.TB, db *sql.DB, es []*tamperEntry) {
	tb.Helper()
	if _, err := db.Exec(`DELETE FROM log_entries`); err != nil {
		tb.Fatal(err)
	}
	var mem []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = mem[x]
		}
		return out, nil
	})
	for i, x := range es {
		x.e.Index = int64(i)
		data, err := tlog.EncodeEntry(x.e)
		if err != nil {
			tb.Fatal(err)
		}
		hs, err := tlog.StoredHashes(int64(i), data, reader)
		if err != nil {
			tb.Fatal(err)
		}
		mem = append(mem, hs...)
		var blob []byte
		for _, h := range hs {
			blob = append(blob, h[:]...)
		}
		if _, err := db.Exec(`INSERT INTO log_entries (idx, hashes, data, sidecar) VALUES (?, ?, ?, ?)`, i, blob, data, x.sidecar); err != nil {
			tb.Fatal(err)
		}
	}
}

// tamperResign signs every checkpoint again over the rewritten log with
// the key in keyFile (the log's own, stolen, or another).
func tamperResign(tb testing.TB, db *sql.DB, skey string) {
	tb.Helper()
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	var mem []tlog.Hash
	for _, x := range tamperEntries(tb, db) {
		for k := 0; k*32 < len(x.hashes); k++ {
			mem = append(mem, tlog.Hash(x.hashes[k*32:k*32+32]))
		}
	}
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = mem[x]
		}
		return out, nil
	})
	rows, err := db.Query(`SELECT size FROM checkpoints ORDER BY size`)
	if err != nil {
		tb.Fatal(err)
	}
	var sizes []int64
	for rows.Next() {
		var n int64
		rows.Scan(&n)
		sizes = append(sizes, n)
	}
	rows.Close()
	for _, n := range sizes {
		root, err := tlog.TreeHash(n, reader)
		if err != nil {
			tb.Fatal(err)
		}
		note, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: signer.Name(), Size: n, Root: root}, signer)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE checkpoints SET root = ?, note = ? WHERE size = ?`, root[:], string(note), n); err != nil {
			tb.Fatal(err)
		}
	}
}

// tamperRebuild replays the (rewritten) log into the projections with
// truce's own rebuild, so that they match it.
func tamperRebuild(tb testing.TB, dir string) {
	tb.Helper()
	if code, out := truceCLI("rebuild", "--data", dir); code != 0 {
		tb.Fatalf("truce rebuild = %d %s", code, out)
	}
}

// tamperSignIn signs in to the map room at base with token, as a browser
// does: the sign-in form's CSRF secret, then the form.
func tamperSignIn(tb testing.TB, base, token string) {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/signin")
	if err != nil {
		tb.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		tb.Fatalf("GET /signin: %d, no CSRF secret", resp.StatusCode)
	}
	resp, err = c.PostForm(base+"/signin", url.Values{"csrf": {string(m[1])}, "token": {token}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("POST /signin: %d, want 303", resp.StatusCode)
	}
}
