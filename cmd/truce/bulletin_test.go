package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/witness"
)

// bulletinDir serves a data directory, files a confirmed report and a
// report by TR in Idlib on 2017-01-05, and stops the server, which issues
// a last checkpoint.
func bulletinDir(t *testing.T) string {
	t.Helper()
	s := mustRunServer(t)
	ru, ir, tr := s.addMember(t, "RU", truce.RoleGuarantor), s.addMember(t, "IR", truce.RoleGuarantor), s.addMember(t, "TR", truce.RoleGuarantor)
	var r reportJSON
	if code := s.do(t, "POST", "/api/v1/reports", ru, sampleReport(), &r); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports = %d", code)
	}
	for _, tok := range []string{ir, tr} {
		if code := s.do(t, "POST", "/api/v1/reports/"+r.ID+"/assessments", tok, map[string]any{"verdict": "confirm"}, nil); code != http.StatusCreated {
			t.Fatalf("assessment = %d", code)
		}
	}
	if code := s.do(t, "POST", "/api/v1/reports", tr, sampleReport(), nil); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports = %d", code)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s.dir
}

// copyDir copies a stopped data directory's files but those named in
// skip.
func copyDir(t *testing.T, src string, skip ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	if err := os.MkdirAll(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == lockFile || slices.Contains(skip, e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestBulletinCLI(t *testing.T) {
	dir := bulletinDir(t)
	code, out, errOut := truceCLI3("bulletin", "--data", dir, "--date", "2017-01-05")
	if code != 0 {
		t.Fatalf("truce bulletin = %d %s", code, errOut)
	}
	var b struct {
		Date         string `json:"date"`
		Checkpoint   string `json:"checkpoint"`
		Signature    string `json:"signature"`
		Governorates []struct {
			PCode      string         `json:"pcode"`
			Name       string         `json:"name"`
			Reports    int            `json:"reports"`
			ReportedBy map[string]int `json:"reported_by"`
			Confirmed  int            `json:"confirmed"`
			Pending    int            `json:"pending"`
		} `json:"governorates"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("truce bulletin printed %q: %v", out, err)
	}
	idlib := b.Governorates[6]
	if b.Date != "2017-01-05" || idlib.PCode != "SY07" || idlib.Name != "Idleb" || idlib.Reports != 2 || idlib.Confirmed != 1 || idlib.Pending != 1 ||
		idlib.ReportedBy["RU"] != 1 || idlib.ReportedBy["IR"] != 1 || idlib.ReportedBy["TR"] != 2 || b.Signature == "" || b.Checkpoint == "" {
		t.Errorf("bulletin of %s: Idlib %+v, signed %t; want 2 reports (1 confirmed), RU 1, IR 1, TR 2, signed", b.Date, idlib, b.Signature != "")
	}

	// Every format and language verifies, and a copy of the directory
	// gives the same bytes.
	mirror := copyDir(t, dir)
	files := t.TempDir()
	for _, lang := range []string{"en", "fa"} {
		for _, f := range []string{"json", "md", "html", "csv"} {
			file := filepath.Join(files, lang+"."+f)
			args := []string{"bulletin", "--data", dir, "--date", "2017-01-05", "--format", f, "--lang", lang}
			if code, out := truceCLI(append(args, "--out", file)...); code != 0 || out != "" {
				t.Fatalf("truce %v = %d %q", args, code, out)
			}
			want, _ := os.ReadFile(file)
			args[2] = mirror
			if code, got, _ := truceCLI3(args...); code != 0 || got != string(want) {
				t.Errorf("truce %v on a copy of the directory = %d, and %d bytes that differ from the original's %d", args, code, len(got), len(want))
			}
			if code, out := truceCLI("bulletin", "verify", file, "--data", dir); code != 0 || !strings.HasPrefix(out, "MATCH: "+f+" bulletin of 2017-01-05") {
				t.Errorf("truce bulletin verify %s = %d %q, want MATCH", file, code, out)
			}
		}
	}

	// An edited file does not match, and the output says where.
	md, _ := os.ReadFile(filepath.Join(files, "en.md"))
	edited := filepath.Join(files, "edited.md")
	os.WriteFile(edited, bytes.Replace(md, []byte("| Idleb | 2 |"), []byte("| Idleb | 1 |"), 1), 0o644)
	if code, out := truceCLI("bulletin", "verify", "--data", dir, edited); code != 1 || !strings.Contains(out, "MISMATCH") || !strings.Contains(out, `file "| Idleb | 1 |`) {
		t.Errorf("truce bulletin verify of an edited file = %d %q, want 1, MISMATCH and the line", code, out)
	}

	// Without the log key a directory cannot sign, but it can verify.
	keyless := copyDir(t, dir, keyFile)
	if code, out := truceCLI("bulletin", "--data", keyless, "--date", "2017-01-05"); code != 1 || !strings.Contains(out, "needs the log key") {
		t.Errorf("truce bulletin without the key = %d %q, want 1 and needs the log key", code, out)
	}
	if code, out := truceCLI("bulletin", "verify", "--data", keyless, filepath.Join(files, "fa.html")); code != 0 || !strings.HasPrefix(out, "MATCH") {
		t.Errorf("truce bulletin verify without the key = %d %q, want MATCH", code, out)
	}
}

func TestBulletinCLIUsage(t *testing.T) {
	dir := bulletinDir(t)
	t.Setenv("TRUCE_DATA", "")
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"bulletin", "--help"}, 0, "Usage: truce bulletin"},
		{[]string{"bulletin", "verify", "--help"}, 0, "Usage: truce bulletin verify"},
		{[]string{"bulletin", "--date", "2017-01-05"}, 2, "--data DIR (or TRUCE_DATA) is required"},
		{[]string{"bulletin", "--data", dir}, 2, "--date YYYY-MM-DD is required"},
		{[]string{"bulletin", "--data", dir, "--date", "5 Jan"}, 1, `"5 Jan" is not a date YYYY-MM-DD`},
		{[]string{"bulletin", "--data", dir, "--date", "2017-01-05", "--format", "pdf"}, 1, `"pdf" is not one of json, md, html, csv`},
		{[]string{"bulletin", "--data", dir, "--date", "2017-01-05", "--lang", "de"}, 1, "en, ar, ru, tr or fa"},
		{[]string{"bulletin", "--data", dir, "--date", "2017-01-05", "--checkpoint", "3"}, 1, "no checkpoint was issued at tree size 3"},
		{[]string{"bulletin", "--data", dir, "--date", "2017-01-05", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"bulletin", "verify", "--data", dir}, 2, "FILE is required"},
		{[]string{"bulletin", "verify", "--data", dir, "a", "b"}, 2, `unexpected argument "b"`},
		{[]string{"bulletin", "verify", "--data", dir, filepath.Join(dir, "log.pub")}, 1, "MISMATCH"},
	} {
		code, out := truceCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("truce %v = %d %q, want %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}
	if code, out := truceCLI("help"); code != 0 || !strings.Contains(out, "bulletin") {
		t.Errorf("truce help = %d %q, want the bulletin command listed", code, out)
	}
}

// TestBulletinHTTP reads bulletins from the running server, without a
// token, and checks them against the stopped data directory with the CLI.
func TestBulletinHTTP(t *testing.T) {
	s := mustRunServer(t)
	ru, tr := s.addMember(t, "RU", truce.RoleGuarantor), s.addMember(t, "TR", truce.RoleGuarantor)
	for _, tok := range []string{ru, tr} {
		if code := s.do(t, "POST", "/api/v1/reports", tok, sampleReport(), nil); code != http.StatusCreated {
			t.Fatalf("POST /api/v1/reports = %d", code)
		}
	}
	// A checkpoint over both reports: this one, or the checkpointer's if
	// it came first.
	if _, err := s.Service.IssueCheckpoint(t.Context()); err != nil {
		t.Fatal(err)
	}
	c, err := s.Service.LatestCheckpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	at := strconv.FormatInt(c.Size, 10)
	files := t.TempDir()
	for _, f := range []struct{ format, lang, contentType string }{
		{"json", "en", "application/json"},
		{"md", "ar", "text/markdown; charset=utf-8"},
		{"html", "ru", "text/html; charset=utf-8"},
		{"csv", "tr", "text/csv; charset=utf-8"},
	} {
		r := authzSend(t, s, "GET", "/api/v1/bulletins/2017-01-05?format="+f.format+"&lang="+f.lang+"&checkpoint="+at, "", "", nil)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != f.contentType || r.header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET %s bulletin = %d %q %q: %s", f.format, r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"), authzClip(r.body))
		}
		os.WriteFile(filepath.Join(files, f.lang+"."+f.format), r.body, 0o644)
	}
	latest := authzSend(t, s, "GET", "/api/v1/bulletins/2017-01-05", "", "", nil)
	var b struct {
		Date       string `json:"date"`
		Checkpoint string `json:"checkpoint"`
	}
	if err := json.Unmarshal(latest.body, &b); err != nil || latest.status != http.StatusOK || b.Date != "2017-01-05" || b.Checkpoint != c.Note {
		t.Errorf("GET the latest bulletin = %d %+v (%v), want 2017-01-05 at the checkpoint just issued", latest.status, b, err)
	}
	for _, tc := range []struct {
		path  string
		code  int
		field string
	}{
		{"/api/v1/bulletins/5-Jan-2017", 400, "date"},
		{"/api/v1/bulletins/2017-02-30", 400, "date"},
		{"/api/v1/bulletins/2999-12-31", 400, "date"},
		{"/api/v1/bulletins/2017-01-05?format=pdf", 400, "format"},
		{"/api/v1/bulletins/2017-01-05?lang=de", 400, "lang"},
		{"/api/v1/bulletins/2017-01-05?checkpoint=-1", 400, "checkpoint"},
		{"/api/v1/bulletins/2017-01-05?checkpoint=99999", 404, ""},
	} {
		r := authzSend(t, s, "GET", tc.path, "", "", nil)
		if r.status != tc.code || !strings.Contains(string(r.body), `"`+tc.field) {
			t.Errorf("GET %s = %d %s, want %d naming %q", tc.path, r.status, authzClip(r.body), tc.code, tc.field)
		}
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"en.json", "ar.md", "ru.html", "tr.csv"} {
		if code, out := truceCLI("bulletin", "verify", "--data", s.dir, filepath.Join(files, name)); code != 0 || !strings.HasPrefix(out, "MATCH") {
			t.Errorf("truce bulletin verify of the served %s = %d %q, want MATCH", name, code, out)
		}
	}
}

// TestBulletinWitnessesAsServer: a server asks its witnesses to cosign
// and computes bulletins at the checkpoint they cosigned; `truce
// bulletin` on its stopped data directory reads the same witnesses file,
// chooses the same checkpoint and gives the same bytes. A witnesses file
// that names a witness that never answered changes nothing while the
// others have cosigned nothing newer.
func TestBulletinWitnessesAsServer(t *testing.T) {
	s, src := tamperServe(t)
	w := authzNewWorld(t, s)
	w.fileReport(t, w.ru, "Syrian Arab Army")
	if got := s.Service.Witnesses; len(got) != 1 || got[0] != "truce.test/witness/RU" {
		t.Fatalf("the server's witnesses for bulletins = %v, want its one witness", got)
	}
	// Wait for the witness to cosign the checkpoint of the whole log.
	var size int64
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, _ := s.Service.LogSize(t.Context())
		c, err := s.Service.CosignedCheckpoint(t.Context(), 0)
		if err == nil && c.Size == n && strings.Contains(c.Note, "— truce.test/witness/RU ") {
			size = n
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no cosigned checkpoint of the whole log after 10 s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp := authzSend(t, s, "GET", "/api/v1/bulletins/2017-01-05", "", "", nil)
	if resp.status != http.StatusOK || !strings.Contains(string(resp.body), fmt.Sprintf(`"tree_size": %d`, size)) {
		t.Fatalf("GET /api/v1/bulletins/2017-01-05 = %d, want 200 at tree size %d: %s", resp.status, size, resp.body)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := truceCLI3("bulletin", "--data", src.data, "--date", "2017-01-05")
	if code != 0 || out != string(resp.body) {
		t.Errorf("truce bulletin on the server's directory = %d %s, bytes differ from the server's: %v", code, errOut, out != string(resp.body))
	}
	other := filepath.Join(t.TempDir(), "witnesses.txt")
	vkey, err := os.ReadFile(filepath.Join(src.witness, witness.PubFile))
	if err != nil {
		t.Fatal(err)
	}
	_, never, _ := witness.GenerateKey("truce.test/witness/IR")
	os.WriteFile(other, []byte(strings.TrimSpace(string(vkey))+" http://127.0.0.1:1\n"+never+" http://127.0.0.1:1\n"), 0o644)
	if code, out := truceCLI("bulletin", "--data", src.data, "--date", "2017-01-05", "--witnesses", other); code != 0 || out != string(resp.body) {
		t.Errorf("truce bulletin --witnesses with a witness that never answered = %d, bytes differ: %v", code, out != string(resp.body))
	}
}
