package web_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	trucehttp "truce/http"
	"truce/web"
)

// otherServer serves the map room over the room's store as another
// server (or the same one started again) would: a handler of its own,
// holding nothing of the first's.
func (r *room) otherServer(tb testing.TB, opt web.Options) string {
	tb.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := trucehttp.NewServer(r.svc, logger, prometheus.NewRegistry())
	ui := web.New(r.svc, logger, opt)
	api.Pages = ui
	srv := httptest.NewServer(api)
	tb.Cleanup(func() { ui.Shutdown(); srv.Close() })
	return srv.URL
}

// sessionID is the session cookie the client holds for the room.
func (c *client) sessionID() string {
	u, _ := url.Parse(c.url)
	for _, k := range c.c.Jar.Cookies(u) {
		if k.Name == "truce_session" {
			return k.Value
		}
	}
	return ""
}

// signedInAs says whether the server at base takes the client as signed
// in: it shows the queue, rather than sending it to sign in.
func signedInAs(tb testing.TB, c *client, base string) bool {
	tb.Helper()
	at := *c
	at.url = base
	a := at.get("/queue")
	switch {
	case a.status == http.StatusOK:
		return true
	case a.status == http.StatusSeeOther && strings.HasPrefix(a.header.Get("Location"), "/signin"):
		return false
	}
	tb.Fatalf("GET %s/queue: %d %q", base, a.status, a.header.Get("Location"))
	return false
}

// TestSessionsInStore: a session is the store's, not one server's. A
// member signed in through one server is signed in through another on the
// same store, and through a server started again; signing out ends it
// everywhere; the store keeps the id's hash, never the id.
func TestSessionsInStore(t *testing.T) {
	r := newRoom(t, web.Options{})
	other := r.otherServer(t, web.Options{})
	c := r.client(t)
	c.signIn("RU/guarantor")
	id := c.sessionID()
	if id == "" {
		t.Fatal("no session cookie after signing in")
	}
	if !signedInAs(t, c, r.srv.URL) || !signedInAs(t, c, other) {
		t.Fatalf("signed in through one server, not signed in through both")
	}
	// A form's CSRF secret is the session's, whichever server shows it.
	at := *c
	at.url = other
	csrf := at.csrf("/reports/new")
	if csrf != c.csrf("/reports/new") {
		t.Errorf("the two servers give the session different CSRF secrets")
	}
	// Its id is nowhere in the database's files; its hash is in the store.
	for _, f := range []string{r.dbPath, r.dbPath + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(id)) {
			t.Errorf("%s holds the session id itself", f)
		}
	}
	err := r.svc.Store.View(ctx, func(tx truce.Tx) error {
		s, err := tx.Session(sha256.Sum256([]byte(id)))
		if err == nil && s.Member != r.members["RU/guarantor"].ID {
			t.Errorf("the stored session is %s's, want RU's officer's", s.Member)
		}
		return err
	})
	if err != nil {
		t.Fatalf("the store has no session for the cookie: %v", err)
	}
	// Signing out through the other server ends it on both.
	if a := at.post("/signout", url.Values{"csrf": {csrf}}); a.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", a.status)
	}
	c2 := r.client(t)
	c2.c.Jar.SetCookies(mustURL(t, r.srv.URL), []*http.Cookie{{Name: "truce_session", Value: id, Path: "/"}})
	if signedInAs(t, c2, r.srv.URL) || signedInAs(t, c2, other) {
		t.Errorf("the session still works after signing out")
	}
}

func mustURL(tb testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// TestSessionExpires: a session unused for longer than SessionIdle ends,
// on every server, and none outlives SessionMax however much it is used.
func TestSessionExpires(t *testing.T) {
	opt := web.Options{SessionIdle: time.Hour, SessionMax: 3 * time.Hour}
	r := newRoom(t, opt)
	other := r.otherServer(t, opt)
	start := time.Now()
	at := func(d time.Duration) { r.svc.Now = func() time.Time { return start.Add(d) } }
	at(0)
	idle, busy := r.client(t), r.client(t)
	idle.signIn("TR/guarantor")
	busy.signIn("RU/guarantor")
	// Used every 50 minutes: the busy one lives, the idle one ends.
	for _, d := range []time.Duration{50 * time.Minute, 100 * time.Minute, 150 * time.Minute} {
		at(d)
		if !signedInAs(t, busy, other) {
			t.Fatalf("a session used every 50 minutes ended at %v", d)
		}
	}
	if signedInAs(t, idle, other) || signedInAs(t, idle, r.srv.URL) {
		t.Errorf("a session unused for longer than SessionIdle still works")
	}
	at(3*time.Hour + time.Minute)
	if signedInAs(t, busy, r.srv.URL) {
		t.Errorf("a session older than SessionMax still works")
	}
}

// TestSessionsPerMember: a member keeps its most lately started sessions,
// one a browser, up to a bound; signing in again past it ends the oldest.
func TestSessionsPerMember(t *testing.T) {
	r := newRoom(t, web.Options{})
	var cs []*client
	for range 21 {
		c := r.client(t)
		c.signIn("IR/guarantor")
		cs = append(cs, c)
	}
	if signedInAs(t, cs[0], r.srv.URL) {
		t.Errorf("the oldest of 21 sessions of one member still works; the bound is 20")
	}
	for i, c := range cs[1:] {
		if !signedInAs(t, c, r.srv.URL) {
			t.Errorf("session %d of 21 ended; only the oldest should", i+2)
		}
	}
	other := r.client(t)
	other.signIn("RU/guarantor")
	if !signedInAs(t, other, r.srv.URL) {
		t.Errorf("another member's session ended")
	}
}
