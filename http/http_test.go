package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	trucehttp "truce/http"
	"truce/workflow"
)

func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{
		truce.EINVALID: 400, truce.EUNAUTHORIZED: 401, truce.EFORBIDDEN: 403, truce.ENOTFOUND: 404,
		truce.EMETHOD: 405, truce.ECONFLICT: 409, truce.ETOOLARGE: 413, truce.EUNSUPPORTED: 415,
		truce.EUNAVAILABLE: 503, truce.EINTERNAL: 500, "no-such-code": 500,
	} {
		if got := trucehttp.StatusOf(code); got != want {
			t.Errorf("StatusOf(%q) = %d, want %d", code, got, want)
		}
	}
}

// brokenStore fails every transaction, as a store whose disk is gone would;
// panicking makes it fail the way a bug would.
type brokenStore struct{ panics bool }

func (s brokenStore) Update(ctx context.Context, fn func(truce.Tx) error) error { return s.fail() }
func (s brokenStore) View(ctx context.Context, fn func(truce.Tx) error) error   { return s.fail() }
func (s brokenStore) Close() error                                              { return nil }
func (s brokenStore) fail() error {
	if s.panics {
		panic("disk on fire")
	}
	return errors.New("disk I/O error at /var/lib/truce/truce.db")
}

// TestInternalErrors checks that a failing store gives a 500 whose body
// hides the cause, and that a panic is recovered into the same answer.
func TestInternalErrors(t *testing.T) {
	for _, panics := range []bool{false, true} {
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, nil))
		svc := workflow.New(brokenStore{panics: panics}, nil)
		srv := trucehttp.NewServer(svc, logger, prometheus.NewRegistry())
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/agreement", nil))
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("panics=%v: body %q: %v", panics, rec.Body, err)
		}
		if rec.Code != http.StatusInternalServerError || body.Error.Code != truce.EINTERNAL || body.Error.Message != "internal error" {
			t.Errorf("panics=%v: %d %+v, want 500 internal error", panics, rec.Code, body.Error)
		}
		if bytes.Contains(rec.Body.Bytes(), []byte("disk")) {
			t.Errorf("panics=%v: the cause leaks to the client: %s", panics, rec.Body)
		}
		if !bytes.Contains(logs.Bytes(), []byte("disk")) {
			t.Errorf("panics=%v: the cause is not logged: %s", panics, logs.String())
		}
	}
}

// heldStore holds its first two transactions until release is closed,
// and fails every one: a store slow enough to fill the server.
type heldStore struct {
	entered, release chan struct{}
	n                *atomic.Int32
}

func (s heldStore) Update(ctx context.Context, fn func(truce.Tx) error) error { return s.hold() }
func (s heldStore) View(ctx context.Context, fn func(truce.Tx) error) error   { return s.hold() }
func (s heldStore) Close() error                                              { return nil }
func (s heldStore) hold() error {
	if s.n.Add(1) <= 2 {
		s.entered <- struct{}{}
		<-s.release
	}
	return errors.New("store failed")
}

// TestShedding fills a server limited to two requests at once: the third
// is refused at once with 503, Retry-After and the code unavailable,
// without reaching the store; probes are still answered; and once the
// two have finished, requests are served again.
func TestShedding(t *testing.T) {
	st := heldStore{entered: make(chan struct{}, 2), release: make(chan struct{}), n: new(atomic.Int32)}
	srv := trucehttp.NewServer(workflow.New(st, nil), slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	srv.Limit(2, 20*time.Millisecond)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp, b.Bytes()
	}
	held := make(chan int, 2)
	for range 2 {
		go func() {
			resp, _ := get("/api/v1/agreement")
			held <- resp.StatusCode
		}()
	}
	for range 2 {
		<-st.entered
	}
	start := time.Now()
	resp, body := get("/api/v1/agreement")
	if took := time.Since(start); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" ||
		!bytes.Contains(body, []byte(`"code":"unavailable"`)) || took > 2*time.Second {
		t.Errorf("a third request = %d, Retry-After %q, %s after %v; want 503, 1, unavailable, at once",
			resp.StatusCode, resp.Header.Get("Retry-After"), body, took)
	}
	if n := st.n.Load(); n != 2 {
		t.Errorf("the store saw %d transactions, want the 2 held: the refused request reached it", n)
	}
	if resp, _ := get("/healthz"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("/healthz under load = %d, want it served (the store's 500), never shed", resp.StatusCode)
	}
	close(st.release)
	for range 2 {
		if code := <-held; code != http.StatusInternalServerError {
			t.Errorf("a held request ended %d, want the store's failure, 500", code)
		}
	}
	if resp, _ := get("/api/v1/agreement"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("after the load = %d, want to be served again (the store's 500)", resp.StatusCode)
	}
}
