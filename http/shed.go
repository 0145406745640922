package http

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"truce"
)

// Load shedding. The server serves at most MaxInFlight requests at once. A
// request that finds every place taken waits at most QueueWait for one, and
// is then refused with 503 and Retry-After before any of it is read or
// done: an overloaded server answers at once, and what it refuses it has
// not begun, so a client may send it again (with the same Idempotency-Key)
// without fear of doing it twice. Probes and scrapes (/healthz, /metrics)
// are never refused.

// Defaults of the limits; Server.Limit changes them.
const (
	DefaultMaxInFlight = 256
	DefaultQueueWait   = 200 * time.Millisecond
	retryAfter         = 1 // seconds, in the Retry-After of a refusal
)

type limiter struct {
	slots chan struct{}
	wait  time.Duration
}

func newLimiter(n int, wait time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, n), wait: wait}
}

// acquire takes a place, waiting at most l.wait; false when none came (or
// the request went away).
func (l *limiter) acquire(ctx context.Context) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	if l.wait <= 0 {
		return false
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (l *limiter) release() { <-l.slots }

// Limit sets how many requests are served at once (n ≥ 1) and how long a
// request waits for a place before it is refused (wait ≥ 0). Call it
// before the server serves.
func (s *Server) Limit(n int, wait time.Duration) {
	s.limit = newLimiter(max(n, 1), max(wait, 0))
}

// errUnavailable is what a request shed under load gets.
var errUnavailable = truce.Errorf(truce.EUNAVAILABLE,
	"the server is at capacity and did nothing with this request: send it again in %d s (with the same Idempotency-Key, if any)", retryAfter)

// shed refuses a request the limiter has no place for.
func (s *Server) shed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	s.Error(w, r, errUnavailable)
}
