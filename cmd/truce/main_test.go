package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"truce"
)

// testServer is a truce server running on a temporary data directory and
// port :0, through the same Main that `truce serve` runs.
type testServer struct {
	*Main
	dir      string
	operator string // the operator's token
}

// mustRunServer initialises a data directory and serves it until the test
// ends.
func mustRunServer(tb testing.TB) *testServer {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "data")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"init", "--data", dir, "--origin", "truce.test/e2e"}, &out, &errOut); code != 0 {
		tb.Fatalf("truce init: exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "truce_") {
		tb.Fatalf("truce init printed %q, want the operator token on its last line", out.String())
	}
	s := &testServer{Main: &Main{DataDir: dir, Addr: "127.0.0.1:0", CheckpointInterval: 50 * time.Millisecond}, dir: dir, operator: token}
	if err := s.Run(context.Background()); err != nil {
		tb.Fatalf("Main.Run: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Main.Close: %v", err)
		}
	})
	return s
}

// do sends a request with an optional bearer token and JSON body, and
// decodes a JSON answer into out when out is not nil.
func (s *testServer) do(tb testing.TB, method, path, token string, body any, out any) int {
	tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.URL()+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

// addMember adds a member through the API and returns its token.
func (s *testServer) addMember(tb testing.TB, org truce.ActorID, role truce.Role) string {
	tb.Helper()
	var got struct {
		Token string `json:"token"`
	}
	body := map[string]any{"name": fmt.Sprintf("%s %s", org, role), "organisation": org, "role": role}
	if code := s.do(tb, "POST", "/api/v1/members", s.operator, body, &got); code != http.StatusCreated {
		tb.Fatalf("POST /api/v1/members %v = %d", body, code)
	}
	return got.Token
}

type reportJSON struct {
	ID          string                   `json:"id"`
	Consensus   truce.State              `json:"consensus"`
	Answers     map[string]truce.Verdict `json:"answers"`
	Assessments []json.RawMessage        `json:"assessments"`
	Entry       int64                    `json:"entry"`
	Lon, Lat    *float64
	// Classification is as the viewer may see it.
	Classification *truce.Classification `json:"classification"`
}

type errorJSON struct {
	Error struct {
		Code, Message, Field string
	} `json:"error"`
}

func sampleReport() map[string]any {
	return map[string]any{
		"occurred_at": "2017-01-05T14:30:00+02:00", "lon": 36.6347, "lat": 35.9321,
		"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
		"perpetrator": "Syrian Arab Army", "description": "Shelling of the eastern edge of Kafr Nabl.",
	}
}

// truceCLI runs a truce command and returns its exit code and output.
func truceCLI(args ...string) (int, string) {
	var out bytes.Buffer
	code := run(context.Background(), args, &out, &out)
	return code, out.String()
}

// TestEndToEnd files and assesses reports against the real server, then
// verifies and rebuilds the log with the CLI.
func TestEndToEnd(t *testing.T) {
	s := mustRunServer(t)
	ru, ir, tr := s.addMember(t, "RU", truce.RoleGuarantor), s.addMember(t, "IR", truce.RoleGuarantor), s.addMember(t, "TR", truce.RoleGuarantor)
	opp := s.addMember(t, "OPP", truce.RoleParty)
	syg := s.addMember(t, "SYG", truce.RoleParty)

	// A party files; three confirmations give confirmed.
	var r reportJSON
	if code := s.do(t, "POST", "/api/v1/reports", opp, sampleReport(), &r); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports = %d", code)
	}
	if r.Consensus != truce.Pending || r.ID == "" {
		t.Fatalf("new report = %+v, want a pending report with an id", r)
	}
	for i, tok := range []string{ru, ir, tr} {
		var got reportJSON
		if code := s.do(t, "POST", "/api/v1/reports/"+r.ID+"/assessments", tok, map[string]any{"verdict": "confirm"}, &got); code != http.StatusCreated {
			t.Fatalf("assessment %d = %d", i, code)
		}
		want := truce.Pending
		if i == 2 {
			want = truce.Confirmed
		}
		if got.Consensus != want {
			t.Errorf("after %d confirmations consensus = %s, want %s", i+1, got.Consensus, want)
		}
	}
	var got reportJSON
	if code := s.do(t, "GET", "/api/v1/reports/"+r.ID, opp, nil, &got); code != http.StatusOK || got.Consensus != truce.Confirmed || len(got.Assessments) != 3 {
		t.Errorf("GET report = %d %+v, want confirmed with 3 assessments", code, got)
	}

	// Another: a confirmation and a dispute give contested.
	var r2 reportJSON
	s.do(t, "POST", "/api/v1/reports", opp, sampleReport(), &r2)
	s.do(t, "POST", "/api/v1/reports/"+r2.ID+"/assessments", tr, map[string]any{"verdict": "confirm"}, nil)
	s.do(t, "POST", "/api/v1/reports/"+r2.ID+"/assessments", ru, map[string]any{"verdict": "dispute", "reason": "Our post recorded no fire."}, &got)
	if got.Consensus != truce.Contested {
		t.Errorf("confirm + dispute: consensus = %s, want contested", got.Consensus)
	}

	// A party may not assess.
	var e errorJSON
	if code := s.do(t, "POST", "/api/v1/reports/"+r2.ID+"/assessments", syg, map[string]any{"verdict": "dispute", "reason": "No."}, &e); code != http.StatusForbidden || e.Error.Code != truce.EFORBIDDEN {
		t.Errorf("party's assessment = %d %+v, want 403 forbidden", code, e)
	}

	// Listing by consensus.
	var page struct {
		Reports []reportJSON `json:"reports"`
	}
	if code := s.do(t, "GET", "/api/v1/reports?consensus=contested", ru, nil, &page); code != http.StatusOK || len(page.Reports) != 1 || page.Reports[0].ID != r2.ID {
		t.Errorf("GET reports?consensus=contested = %d %+v, want only %s", code, page, r2.ID)
	}

	// The log: the checkpointer catches up, proofs verify.
	waitForCheckpoint(t, s)
	if code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet"); code != 0 || !strings.HasPrefix(out, "OK:") {
		t.Fatalf("truce log verify = %d: %s", code, out)
	}

	// Rebuild leaves the canonical dump identical.
	s.Close()
	_, before := truceCLI("dump", "--data", s.dir)
	if code, out := truceCLI("rebuild", "--data", s.dir); code != 0 {
		t.Fatalf("truce rebuild = %d: %s", code, out)
	}
	_, after := truceCLI("dump", "--data", s.dir)
	if before != after {
		t.Errorf("dump after rebuild differs:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if n := strings.Count(before, "\n"); n < 10 {
		t.Errorf("dump has %d rows, want every projection row", n)
	}
	if code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet"); code != 0 {
		t.Errorf("truce log verify after rebuild = %d: %s", code, out)
	}
}

// waitForCheckpoint waits until the latest checkpoint covers the log.
func waitForCheckpoint(tb testing.TB, s *testServer) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n, err := s.Service.LogSize(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		c, err := s.Service.LatestCheckpoint(context.Background())
		if err == nil && c.Size == n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatal("no checkpoint covers the log after 10s")
}

func TestMain(m *testing.M) {
	// Tests run the real server; keep its logs out of the test output.
	os.Exit(m.Run())
}

// truceCLI3 runs the truce command with separate standard output and
// error.
func truceCLI3(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestOneWriter checks that a second process cannot write to a data
// directory the server holds: rebuild and a second server are refused,
// while read-only commands still work; once the server stops, they run.
func TestOneWriter(t *testing.T) {
	s := mustRunServer(t)
	if code, out := truceCLI("rebuild", "--data", s.dir); code != 1 || !strings.Contains(out, "in use by another truce process") {
		t.Errorf("truce rebuild while serving = %d %q, want 1 and in use", code, out)
	}
	m2 := &Main{DataDir: s.dir, Addr: "127.0.0.1:0"}
	if err := m2.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "in use") {
		m2.Close()
		t.Errorf("a second server on the same data directory: %v, want in use", err)
	}
	if code, out := truceCLI("log", "verify", "--data", s.dir, "--quiet"); code != 0 {
		t.Errorf("truce log verify while serving = %d %s", code, out)
	}
	s.Close()
	if code, out := truceCLI("rebuild", "--data", s.dir); code != 0 {
		t.Errorf("truce rebuild after the server stopped = %d %s", code, out)
	}
}
