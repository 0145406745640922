package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	trucehttp "truce/http"
	"truce/workflow"
)

func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{
		truce.EINVALID: 400, truce.EUNAUTHORIZED: 401, truce.EFORBIDDEN: 403, truce.ENOTFOUND: 404,
		truce.EMETHOD: 405, truce.ECONFLICT: 409, truce.ETOOLARGE: 413, truce.EUNSUPPORTED: 415,
		truce.EINTERNAL: 500, "no-such-code": 500,
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
