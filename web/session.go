package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"truce"
)

// Cookies the map room sets. The session cookie holds only a random id;
// the member it stands for is kept on the server, so that a stolen
// browser profile holds no token.
const (
	sessionCookie = "truce_session"
	anonCookie    = "truce_csrf" // a visitor's CSRF secret before sign-in
	langCookie    = "truce_lang"
)

// session is a signed-in member's stay: who they are, and the secret
// their forms must carry.
type session struct {
	id      string
	member  *truce.Member
	csrf    string
	created time.Time
	seen    time.Time
}

// sessions keeps sessions in the store (truce.SessionTx), by the SHA-256
// of their ids: every server on the store knows them, so a member signed
// in through one is signed in through all, and a restart keeps them. The
// member is read afresh with each request, as the API reads a token's.
type sessions struct {
	store truce.Store
	idle  time.Duration // a session unused this long ends
	max   time.Duration // and none lasts longer than this
	now   func() time.Time
}

// Bounds on the store's sessions: a member keeps the maxMemberSessions
// most lately started (a browser each), and a session's last use is
// written at most every touchEvery, not with every page.
const (
	maxMemberSessions = 20
	touchEvery        = time.Minute
)

func newSessions(store truce.Store, idle, max time.Duration, now func() time.Time) *sessions {
	return &sessions{store: store, idle: idle, max: max, now: now}
}

// create starts a session for m and returns it. It also ends the
// sessions that have expired, and m's oldest past maxMemberSessions.
func (s *sessions) create(ctx context.Context, m *truce.Member) (*session, error) {
	now := s.now()
	ss := &session{id: randomToken(), member: m, csrf: randomToken(), created: now, seen: now}
	err := s.store.Update(ctx, func(tx truce.Tx) error {
		if _, err := tx.ExpireSessions(now.Add(-s.idle), now.Add(-s.max)); err != nil {
			return err
		}
		if err := tx.TrimSessions(m.ID, maxMemberSessions-1); err != nil {
			return err
		}
		return tx.PutSession(&truce.StoredSession{IDHash: sessionHash(ss.id), Member: m.ID, CSRF: ss.csrf, Created: now, Seen: now})
	})
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// sessionHash is what the store keeps of a session id.
func sessionHash(id string) [32]byte { return sha256.Sum256([]byte(id)) }

func (s *sessions) expired(created, seen, now time.Time) bool {
	return now.Sub(seen) > s.idle || now.Sub(created) > s.max
}

// get returns the live session with id, or nil, and marks it used. A
// session whose member is no longer there has ended.
func (s *sessions) get(ctx context.Context, id string) (*session, error) {
	if id == "" || len(id) > 100 {
		return nil, nil
	}
	h := sessionHash(id)
	var st *truce.StoredSession
	var m *truce.Member
	err := s.store.View(ctx, func(tx truce.Tx) error {
		var err error
		if st, err = tx.Session(h); truce.ErrorCode(err) == truce.ENOTFOUND {
			st = nil
			return nil
		} else if err != nil {
			return err
		}
		if m, err = tx.Member(st.Member); truce.ErrorCode(err) == truce.ENOTFOUND {
			st = nil
			return nil
		}
		return err
	})
	if err != nil || st == nil {
		return nil, err
	}
	now := s.now()
	if s.expired(st.Created, st.Seen, now) {
		return nil, s.end(ctx, id)
	}
	if now.Sub(st.Seen) >= touchEvery {
		if err := s.store.Update(ctx, func(tx truce.Tx) error { return tx.TouchSession(h, now) }); err != nil {
			return nil, err
		}
	}
	return &session{id: id, member: m, csrf: st.CSRF, created: st.Created, seen: now}, nil
}

// end ends the session with id, on every server.
func (s *sessions) end(ctx context.Context, id string) error {
	return s.store.Update(ctx, func(tx truce.Tx) error { return tx.DeleteSession(sessionHash(id)) })
}

// randomToken returns 32 random bytes, URL-safe base64.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sameSecret compares two secrets in constant time.
func sameSecret(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure when the request came over TLS. maxAge 0 makes it last the
// browser's session; negative deletes it.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// limiter refuses sign-in attempts from an address after too many
// failures in a window: tokens are long and random, so this is not what
// keeps them secret, but it keeps a guesser from loading the server and
// shows up in the logs.
type limiter struct {
	mu     sync.Mutex
	fails  map[string]*attempts
	max    int
	window time.Duration
	now    func() time.Time
}

type attempts struct {
	n     int
	since time.Time
}

// maxLimited bounds the addresses the limiter remembers.
const maxLimited = 100000

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{fails: map[string]*attempts{}, max: max, window: window, now: time.Now}
}

// wait returns how long addr must wait before it may try again; 0 when it
// may try now.
func (l *limiter) wait(addr string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.fails[addr]
	if a == nil {
		return 0
	}
	if now.Sub(a.since) >= l.window {
		delete(l.fails, addr)
		return 0
	}
	if a.n < l.max {
		return 0
	}
	return a.since.Add(l.window).Sub(now)
}

// fail counts a failed attempt from addr.
func (l *limiter) fail(addr string) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= maxLimited {
		l.fails = map[string]*attempts{}
	}
	a := l.fails[addr]
	if a == nil || now.Sub(a.since) >= l.window {
		a = &attempts{since: now}
		l.fails[addr] = a
	}
	a.n++
}

// succeed forgets addr's failures.
func (l *limiter) succeed(addr string) {
	l.mu.Lock()
	delete(l.fails, addr)
	l.mu.Unlock()
}

// clientAddr is the address a request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// sameOrigin reports whether a state-changing request comes from this
// site's own pages: its Origin header, when the browser sends one, names
// this host. The CSRF token is the main defence; this is a second.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return o == ""
	}
	_, host, ok := strings.Cut(o, "://")
	return ok && strings.EqualFold(host, r.Host)
}
