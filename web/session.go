package web

import (
	"crypto/rand"
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

// sessions keeps sessions in memory: a restart signs everyone out, which
// is what an operator restarting the server expects.
type sessions struct {
	mu   sync.Mutex
	m    map[string]*session
	idle time.Duration // a session unused this long ends
	max  time.Duration // and none lasts longer than this
	now  func() time.Time
}

// maxSessions bounds the memory sessions take; past it the oldest go.
const maxSessions = 10000

func newSessions(idle, max time.Duration) *sessions {
	return &sessions{m: map[string]*session{}, idle: idle, max: max, now: time.Now}
}

// create starts a session for m and returns it.
func (s *sessions) create(m *truce.Member) *session {
	now := s.now()
	ss := &session{id: randomToken(), member: m, csrf: randomToken(), created: now, seen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		s.evictLocked(now)
	}
	s.m[ss.id] = ss
	return ss
}

// evictLocked drops expired sessions and, if that is not enough, the
// oldest tenth.
func (s *sessions) evictLocked(now time.Time) {
	var oldest []*session
	for id, ss := range s.m {
		if s.expired(ss, now) {
			delete(s.m, id)
		} else {
			oldest = append(oldest, ss)
		}
	}
	if len(s.m) < maxSessions {
		return
	}
	for range maxSessions / 10 {
		var o *session
		for _, ss := range oldest {
			if _, ok := s.m[ss.id]; ok && (o == nil || ss.created.Before(o.created)) {
				o = ss
			}
		}
		if o != nil {
			delete(s.m, o.id)
		}
	}
}

func (s *sessions) expired(ss *session, now time.Time) bool {
	return now.Sub(ss.seen) > s.idle || now.Sub(ss.created) > s.max
}

// get returns the live session with id, or nil, and marks it used.
func (s *sessions) get(id string) *session {
	if id == "" || len(id) > 100 {
		return nil
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.m[id]
	if ss == nil {
		return nil
	}
	if s.expired(ss, now) {
		delete(s.m, id)
		return nil
	}
	ss.seen = now
	return ss
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
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
