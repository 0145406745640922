package main

import (
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"truce"
	tlog "truce/log"
)

// TestBadInput sends what clients get wrong and checks that each gets a 4xx
// naming the field, and that nothing is stored.
func TestBadInput(t *testing.T) {
	s := mustRunServer(t)
	ru := s.addMember(t, "RU", truce.RoleGuarantor)
	obs := s.addMember(t, "US", truce.RoleObserver)
	size := func() int64 {
		n, err := s.Service.LogSize(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := size()
	withField := func(k string, v any) map[string]any {
		r := sampleReport()
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
		return r
	}
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		code, field               string
	}{
		{"no token", "POST", "/api/v1/reports", "", sampleReport(), 401, truce.EUNAUTHORIZED, ""},
		{"bad token", "GET", "/api/v1/reports", "truce_nope", nil, 401, truce.EUNAUTHORIZED, ""},
		{"not a truce token", "GET", "/api/v1/reports", "abc", nil, 401, truce.EUNAUTHORIZED, ""},
		{"public reads reports", "GET", "/api/v1/reports", "", nil, 401, truce.EUNAUTHORIZED, ""},
		{"observer files", "POST", "/api/v1/reports", obs, sampleReport(), 403, truce.EFORBIDDEN, ""},
		{"observer assesses", "POST", "/api/v1/reports/rpt_aaaaaaaaaaaaaaaa/assessments", obs, map[string]any{"verdict": "confirm"}, 403, truce.EFORBIDDEN, ""},
		{"malformed JSON", "POST", "/api/v1/reports", ru, `{"lon": 36,`, 400, truce.EINVALID, "body"},
		{"empty body", "POST", "/api/v1/reports", ru, " ", 400, truce.EINVALID, "body"},
		{"array body", "POST", "/api/v1/reports", ru, `[1,2]`, 400, truce.EINVALID, "body"},
		{"trailing data", "POST", "/api/v1/reports", ru, `{"lon":1} {}`, 400, truce.EINVALID, "body"},
		{"unknown field", "POST", "/api/v1/reports", ru, withField("colour", "red"), 400, truce.EINVALID, "colour"},
		{"lon as string", "POST", "/api/v1/reports", ru, withField("lon", "36.6"), 400, truce.EINVALID, "lon"},
		{"missing lat", "POST", "/api/v1/reports", ru, withField("lat", nil), 400, truce.EINVALID, "lat"},
		{"lat out of range", "POST", "/api/v1/reports", ru, withField("lat", 95), 400, truce.EINVALID, "lat"},
		{"bad time", "POST", "/api/v1/reports", ru, withField("occurred_at", "yesterday"), 400, truce.EINVALID, "occurred_at"},
		{"unknown event type", "POST", "/api/v1/reports", ru, withField("event_type", "Skirmish"), 400, truce.EINVALID, "event_type"},
		{"unknown perpetrator", "POST", "/api/v1/reports", ru, withField("perpetrator", "Martians"), 400, truce.EINVALID, "perpetrator"},
		{"long description", "POST", "/api/v1/reports", ru, withField("description", strings.Repeat("x", truce.MaxDescription+1)), 400, truce.EINVALID, "description"},
		{"body over the limit", "POST", "/api/v1/reports", ru, withField("description", strings.Repeat("x", 70000)), 413, truce.ETOOLARGE, ""},
		{"bad verdict", "POST", "/api/v1/reports/rpt_aaaaaaaaaaaaaaaa/assessments", ru, map[string]any{"verdict": "maybe"}, 400, truce.EINVALID, "verdict"},
		{"assess a missing report", "POST", "/api/v1/reports/rpt_aaaaaaaaaaaaaaaa/assessments", ru, map[string]any{"verdict": "confirm"}, 404, truce.ENOTFOUND, ""},
		{"dispute without reason", "POST", "/api/v1/reports/rpt_aaaaaaaaaaaaaaaa/assessments", ru, map[string]any{"verdict": "dispute"}, 400, truce.EINVALID, "reason"},
		{"missing report", "GET", "/api/v1/reports/rpt_aaaaaaaaaaaaaaaa", ru, nil, 404, truce.ENOTFOUND, ""},
		{"malformed report id", "GET", "/api/v1/reports/..%2f", ru, nil, 404, truce.ENOTFOUND, ""},
		{"bad consensus filter", "GET", "/api/v1/reports?consensus=agreed", ru, nil, 400, truce.EINVALID, "consensus"},
		{"bad limit", "GET", "/api/v1/reports?limit=100000", ru, nil, 400, truce.EINVALID, "limit"},
		{"bad cursor", "GET", "/api/v1/reports?cursor=abc", ru, nil, 400, truce.EINVALID, "cursor"},
		{"bad from", "GET", "/api/v1/reports?from=soon", ru, nil, 400, truce.EINVALID, "from"},
		{"bad as_of", "GET", "/api/v1/reports?as_of=yesterday", ru, nil, 400, truce.EINVALID, "as_of"},
		{"bad as_of on export", "GET", "/api/v1/reports/export?format=geojson&as_of=yesterday", ru, nil, 400, truce.EINVALID, "as_of"},
		{"member by a guarantor", "POST", "/api/v1/members", ru, map[string]any{"name": "x", "organisation": "RU", "role": "guarantor"}, 403, truce.EFORBIDDEN, ""},
		{"member of wrong standing", "POST", "/api/v1/members", s.operator, map[string]any{"name": "x", "organisation": "SYG", "role": "guarantor"}, 400, truce.EINVALID, "role"},
		{"member of no organisation", "POST", "/api/v1/members", s.operator, map[string]any{"name": "x", "organisation": "XX", "role": "observer"}, 400, truce.EINVALID, "organisation"},
		{"wrong method", "DELETE", "/api/v1/reports", ru, nil, 405, truce.EMETHOD, ""},
		{"no route", "GET", "/api/v2/reports", ru, nil, 404, truce.ENOTFOUND, ""},
		{"entry out of range", "GET", "/log/entries/99999", ru, nil, 404, truce.ENOTFOUND, ""},
		{"entry index not a number", "GET", "/log/entries/x", ru, nil, 400, truce.EINVALID, "index"},
		{"observer reads raw entries", "GET", "/log/entries/0", obs, nil, 403, truce.EFORBIDDEN, ""},
		{"inclusion beyond the log", "GET", "/log/proof/inclusion?index=0&size=99999", "", nil, 400, truce.EINVALID, "size"},
		{"inclusion without index", "GET", "/log/proof/inclusion?size=1", "", nil, 400, truce.EINVALID, "index"},
		{"consistency backwards", "GET", "/log/proof/consistency?old=3&new=2", "", nil, 400, truce.EINVALID, "old"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e errorJSON
			code := s.do(t, tc.method, tc.path, tc.token, tc.body, &e)
			if code != tc.status || e.Error.Code != tc.code || e.Error.Field != tc.field {
				t.Errorf("%s %s = %d %+v, want %d %s field %q", tc.method, tc.path, code, e.Error, tc.status, tc.code, tc.field)
			}
			if e.Error.Message == "" {
				t.Errorf("no error message")
			}
		})
	}
	if after := size(); after != before {
		t.Errorf("log grew from %d to %d entries on bad input", before, after)
	}

	// The wrong content type.
	req, _ := http.NewRequest("POST", s.URL()+"/api/v1/reports", strings.NewReader("lon=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+ru)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("form body = %d, want 415", resp.StatusCode)
	}
}

// TestLogEndpoints checks what anyone can verify: the checkpoint against
// the log's public key, an entry's inclusion in it, and the consistency of
// two tree sizes.
func TestLogEndpoints(t *testing.T) {
	s := mustRunServer(t)
	ru := s.addMember(t, "RU", truce.RoleGuarantor)
	for i := 0; i < 6; i++ {
		s.do(t, "POST", "/api/v1/reports", ru, sampleReport(), nil)
	}
	waitForCheckpoint(t, s)

	resp, err := http.Get(s.URL() + "/log/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	note, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	pub, err := os.ReadFile(s.dir + "/log.pub")
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := tlog.NewVerifier(string(pub))
	if err != nil {
		t.Fatal(err)
	}
	cp, _, err := tlog.OpenCheckpoint(note, verifier)
	if err != nil {
		t.Fatalf("GET /log/checkpoint does not verify with log.pub: %v\n%s", err, note)
	}
	if cp.Origin != "truce.test/e2e" || cp.Size != 9 {
		t.Errorf("checkpoint = %s/%d, want truce.test/e2e/9 (agreement, operator, member, 6 reports)", cp.Origin, cp.Size)
	}

	for index := int64(0); index < cp.Size; index++ {
		entry := fetch(t, s, "/log/entries/"+strconv.FormatInt(index, 10), ru)
		var p struct {
			LeafHash string   `json:"leaf_hash"`
			Root     string   `json:"root"`
			Proof    []string `json:"proof"`
		}
		s.do(t, "GET", "/log/proof/inclusion?index="+strconv.FormatInt(index, 10)+"&size="+strconv.FormatInt(cp.Size, 10), "", nil, &p)
		leaf := tlog.LeafHash(entry)
		if b64(t, p.LeafHash) == nil || string(b64(t, p.LeafHash)) != string(leaf[:]) {
			t.Errorf("entry %d: leaf hash %s is not the hash of the entry's bytes", index, p.LeafHash)
		}
		var proof [][]byte
		for _, h := range p.Proof {
			proof = append(proof, b64(t, h))
		}
		if err := tlog.VerifyInclusion(uint64(index), uint64(cp.Size), leaf[:], proof, cp.Root[:]); err != nil {
			t.Errorf("entry %d: %v", index, err)
		}
		if _, err := tlog.DecodeEntry(entry); err != nil {
			t.Errorf("entry %d: %v", index, err)
		}
	}
	var c struct {
		OldRoot string   `json:"old_root"`
		NewRoot string   `json:"new_root"`
		Proof   []string `json:"proof"`
	}
	s.do(t, "GET", "/log/proof/consistency?old=5&new="+strconv.FormatInt(cp.Size, 10), "", nil, &c)
	var proof [][]byte
	for _, h := range c.Proof {
		proof = append(proof, b64(t, h))
	}
	if string(b64(t, c.NewRoot)) != string(cp.Root[:]) {
		t.Errorf("consistency new_root %s is not the checkpoint's root", c.NewRoot)
	}
	if err := tlog.VerifyConsistency(5, uint64(cp.Size), b64(t, c.OldRoot), cp.Root[:], proof); err != nil {
		t.Errorf("consistency 5 → %d: %v", cp.Size, err)
	}

	// Health and metrics.
	metrics := string(fetch(t, s, "/metrics", ""))
	for _, want := range []string{"truce_log_entries 9", "truce_http_requests_total{", `route="POST /api/v1/reports"`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if h := string(fetch(t, s, "/healthz", "")); !strings.Contains(h, `"status":"ok"`) {
		t.Errorf("/healthz = %s", h)
	}
}

func fetch(tb testing.TB, s *testServer, path, token string) []byte {
	tb.Helper()
	req, _ := http.NewRequest("GET", s.URL()+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		tb.Fatalf("GET %s = %d %s", path, resp.StatusCode, b)
	}
	return b
}

func b64(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		tb.Fatalf("base64 %q: %v", s, err)
	}
	return b
}
