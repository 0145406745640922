package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
	"truce/sqlite"
)

// cli runs a truce command with a member's token against the test server.
func (s *testServer) cli(tb testing.TB, token string, args ...string) (int, string) {
	tb.Helper()
	tb.Setenv("TRUCE_SERVER", s.URL())
	tb.Setenv("TRUCE_TOKEN", token)
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String() + errOut.String()
}

// memberID returns the id of the member a token belongs to.
func (s *testServer) memberID(tb testing.TB, token string) truce.MemberID {
	tb.Helper()
	var me truce.Member
	if code := s.do(tb, "GET", "/api/v1/me", token, nil, &me); code != http.StatusOK {
		tb.Fatalf("GET /api/v1/me = %d", code)
	}
	return me.ID
}

// TestSignedSubmissions registers a guarantor's key, submits signed
// commands with the CLI, and checks that the operator, with the database
// in hand, cannot make an entry in the guarantor's name that verify
// accepts.
func TestSignedSubmissions(t *testing.T) {
	s := mustRunServer(t)
	ru := s.addMember(t, "RU", truce.RoleGuarantor)
	tr := s.addMember(t, "TR", truce.RoleGuarantor)
	dir := t.TempDir()
	key := filepath.Join(dir, "ru.key")
	if code, out := truceCLI("key", "generate", "--name", string(s.memberID(t, ru)), "--out", key); code != 0 {
		t.Fatalf("truce key generate = %d %s", code, out)
	}
	if code, out := s.cli(t, ru, "key", "register", "--key", key); code != 0 || !strings.Contains(out, `"hash"`) {
		t.Fatalf("truce key register = %d %s", code, out)
	}

	// From now on RU's officer must sign.
	var e errorJSON
	if code := s.do(t, "POST", "/api/v1/reports", ru, sampleReport(), &e); code != http.StatusForbidden {
		t.Errorf("unsigned report by a member with a key = %d %+v, want 403", code, e)
	}
	reportFile := filepath.Join(dir, "report.json")
	body, _ := json.Marshal(sampleReport())
	os.WriteFile(reportFile, body, 0o644)
	code, out := s.cli(t, ru, "submit", "report", reportFile, "--key", key)
	if code != 0 {
		t.Fatalf("truce submit report = %d %s", code, out)
	}
	var filed reportJSON
	if err := json.Unmarshal([]byte(out), &filed); err != nil || filed.ID == "" {
		t.Fatalf("truce submit report printed %q", out)
	}
	if code, out := s.cli(t, ru, "submit", "assessment", filed.ID, "--verdict", "confirm", "--key", key); code != 0 {
		t.Fatalf("truce submit assessment = %d %s", code, out)
	}
	png := filepath.Join(dir, "photo.png")
	os.WriteFile(png, tinyPNG(t), 0o644)
	if code, out := s.cli(t, ru, "submit", "evidence", filed.ID, png, "--key", key); code != 0 || !strings.Contains(out, `"sha256"`) {
		t.Fatalf("truce submit evidence = %d %s", code, out)
	}
	// A key that is not the member's is refused.
	other := filepath.Join(dir, "other.key")
	truceCLI("key", "generate", "--name", "intruder", "--out", other)
	if code, out := s.cli(t, ru, "submit", "report", reportFile, "--key", other); code == 0 || !strings.Contains(out, "403 forbidden") {
		t.Errorf("a report signed with another key = %d %s, want a 403", code, out)
	}
	// TR has no key: signing is refused, unsigned works.
	if code, out := s.cli(t, tr, "submit", "report", reportFile, "--key", key); code == 0 || !strings.Contains(out, "no registered key") {
		t.Errorf("a signed report by a member without a key = %d %s", code, out)
	}

	waitForCheckpoint(t, s)
	s.Close()
	if code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet"); code != 0 {
		t.Fatalf("truce log verify with signed entries = %d %s", code, out)
	}

	// The operator appends, with correct hashes, an assessment in RU's
	// officer's name, as anyone with the database and the code could.
	forged := forgeEntry(t, s.dir, truce.EntryAssessmentMade, &truce.Author{
		Member: filedBy(t, s.dir, filed.ID), Organisation: "RU", Role: truce.RoleGuarantor, Attestation: truce.AttestedByServer,
	}, &truce.AssessmentMade{Report: truce.ReportID(filed.ID), Verdict: truce.Dispute, Reason: "forged"})
	code, out = truceCLI("log", "verify", "--data", s.dir, "--quiet")
	want := "FAIL: entry " + strconv.FormatInt(forged, 10) + ": "
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "registered key") {
		t.Errorf("verify after a forged assessment = %d %q, want exit 1 naming %q and the registered key", code, out, want)
	}
}

// filedBy returns the member who filed a report, read from the database.
func filedBy(tb testing.TB, dir, id string) truce.MemberID {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(dir, dbFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var m truce.MemberID
	err = db.View(context.Background(), func(tx truce.Tx) error {
		r, _, err := tx.Report(truce.ReportID(id))
		if err == nil {
			m = r.FiledBy
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// forgeEntry appends an entry directly to the database, with the Merkle
// hashes computed as the server would, and returns its index.
func forgeEntry(tb testing.TB, dir string, kind truce.EntryKind, author *truce.Author, payload any) int64 {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(dir, dbFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var index int64
	err = db.Update(context.Background(), func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		index = n
		_, data, err := tlog.BuildEntry(n, kind, time.Now(), author, payload)
		if err != nil {
			return err
		}
		reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			hs, err := tx.ReadHashes(idx)
			out := make([]tlog.Hash, len(hs))
			for i := range hs {
				out[i] = hs[i]
			}
			return out, err
		})
		hashes, err := tlog.StoredHashes(n, data, reader)
		if err != nil {
			return err
		}
		hs := make([][32]byte, len(hashes))
		for i := range hashes {
			hs[i] = hashes[i]
		}
		return tx.AppendEntry(n, data, hs, nil)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return index
}

// TestIdempotency retries a report with the same Idempotency-Key: the same
// answer, byte for byte, and one entry; another body with the key is a
// conflict.
func TestIdempotency(t *testing.T) {
	s := mustRunServer(t)
	ru := s.addMember(t, "RU", truce.RoleGuarantor)
	post := func(key string, body map[string]any) (int, []byte) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", s.URL()+"/api/v1/reports", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+ru)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.Bytes()
	}
	before, _ := s.Service.LogSize(context.Background())
	code1, body1 := post("retry-1", sampleReport())
	code2, body2 := post("retry-1", sampleReport())
	if code1 != 201 || code2 != 201 || !bytes.Equal(body1, body2) {
		t.Errorf("retry = %d %s / %d %s, want the same 201 twice", code1, body1, code2, body2)
	}
	if after, _ := s.Service.LogSize(context.Background()); after != before+1 {
		t.Errorf("log grew by %d entries for a request and its retry, want 1", after-before)
	}
	other := sampleReport()
	other["description"] = "Another event altogether."
	if code, body := post("retry-1", other); code != http.StatusConflict {
		t.Errorf("the key with another body = %d %s, want 409", code, body)
	}
	if code, body := post("bad key", sampleReport()); code != http.StatusBadRequest || !strings.Contains(string(body), "Idempotency-Key") {
		t.Errorf("a key with a space = %d %s, want 400 naming Idempotency-Key", code, body)
	}
}

// tinyPNG returns a valid 2×2 PNG.
func tinyPNG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
