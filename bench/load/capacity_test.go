package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	"truce/agreements"
	trucehttp "truce/http"
	tlog "truce/log"
	"truce/sqlite"
	"truce/workflow"
)

// capacityServer serves a new log in process, limited to maxInFlight
// requests at once, and returns its URL and the tokens of two filers.
func capacityServer(t *testing.T, maxInFlight int, wait time.Duration) (string, []string) {
	t.Helper()
	ctx := context.Background()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	skey, vkey, err := tlog.GenerateKey("truce.test/capacity")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(db, signer)
	op, _, err := svc.Init(ctx, workflow.InitOptions{Agreement: a, Origin: "truce.test/capacity", Verifier: vkey})
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, org := range []truce.ActorID{"RU", "TR"} {
		_, tok, err := svc.AddMember(ctx, op, "Capacity "+string(org), org, truce.RoleGuarantor)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	if _, err := svc.IssueCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	// Served over a store that takes 20 ms a transaction, the server's
	// capacity is known whatever the machine: at most maxInFlight/20ms.
	slow := workflow.New(slowStore{db, 20 * time.Millisecond}, signer)
	srv := trucehttp.NewServer(slow, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	srv.Limit(maxInFlight, wait)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL, tokens
}

// slowStore is a store each of whose transactions takes at least delay.
type slowStore struct {
	truce.Store
	delay time.Duration
}

func (s slowStore) Update(ctx context.Context, fn func(truce.Tx) error) error {
	time.Sleep(s.delay)
	return s.Store.Update(ctx, fn)
}

func (s slowStore) View(ctx context.Context, fn func(truce.Tx) error) error {
	time.Sleep(s.delay)
	return s.Store.View(ctx, fn)
}

func TestParseRates(t *testing.T) {
	if r, err := parseRates("100, 200,400"); err != nil || len(r) != 3 || r[2] != 400 {
		t.Errorf("parseRates = %v, %v", r, err)
	}
	for _, bad := range []string{"", "100,x", "0", "200,100", "100,100"} {
		if _, err := parseRates(bad); err == nil {
			t.Errorf("parseRates(%q) = nil error", bad)
		}
	}
}

func TestPhaseHealthy(t *testing.T) {
	good := phase{Offered: 100, Sent: 1000, OK: 1000, Achieved: 99, P99: ms(20 * time.Millisecond)}
	if !good.healthy(100 * time.Millisecond) {
		t.Error("a phase that kept up is not healthy")
	}
	for name, p := range map[string]phase{
		"slow":    {Offered: 100, Sent: 1000, OK: 1000, Achieved: 99, P99: ms(200 * time.Millisecond)},
		"behind":  {Offered: 100, Sent: 1000, OK: 900, Achieved: 90, P99: ms(20 * time.Millisecond)},
		"shed":    {Offered: 100, Sent: 1000, OK: 980, Shed: 20, Achieved: 98, P99: ms(20 * time.Millisecond)},
		"missed":  {Offered: 100, Sent: 980, Missed: 20, OK: 980, Achieved: 98, P99: ms(20 * time.Millisecond)},
		"nothing": {Offered: 100},
	} {
		if p.healthy(100 * time.Millisecond) {
			t.Errorf("%s: healthy, want not", name)
		}
	}
}

// TestCapacityPlan runs a short plan against a server in process whose
// every transaction takes 20 ms, limited to two requests at once: at most
// 100 requests a second, whatever the machine. The overload, 400 a second,
// is shed with 503 and nothing else fails, and everything answered 201 is
// there at the end. (Whether a step is healthy depends on the machine, so
// the knee is not held to a value.)
func TestCapacityPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the plan takes about 10 s")
	}
	base, tokens := capacityServer(t, 2, 0)
	cp := &capacity{
		cfg: capacityConfig{rates: []float64{5, 10}, step: time.Second, reads: 0.5, p99: 2 * time.Second,
			soak: time.Second, overload: 40, overDur: 2 * time.Second, shedP99: 5 * time.Second, recovery: time.Second, workers: 256},
		base: base, tokens: tokens, bodies: bodies(1, 64), timeout: 5 * time.Second, client: newClient(256, 5*time.Second),
	}
	r, err := cp.run(context.Background(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	r.print(&out)
	t.Log("\n" + out.String())
	if r.Knee == 0 {
		t.Fatalf("not even 5 requests/s were served healthily: %q", r.Verdicts)
	}
	var over *phase
	for _, p := range r.Phases {
		if p.Name == "overload" {
			over = p
		}
	}
	if over == nil || over.Shed == 0 || over.Failed != 0 {
		t.Errorf("overload %+v: want requests shed and none failed otherwise", over)
	}
	if r.Created == 0 || r.Lost != 0 || r.ReadBack != int(r.Created) {
		t.Errorf("created %d, read back %d, lost %d: want every report read back", r.Created, r.ReadBack, r.Lost)
	}
	for _, v := range r.Verdicts {
		for _, bad := range []string{"read back", "log grew", "failed otherwise", "nothing was shed"} {
			if strings.Contains(v, bad) {
				t.Errorf("problem: %s", v)
			}
		}
	}
}
