package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"truce"
	"truce/workflow"
)

// broadcaster tells open maps that the log has grown, so that they fetch
// their reports again: one reader of the log's size for every map, started
// with the first, stopped at shutdown. Whatever appends (the API, the
// pages, a signed submission) shows, since all of it is in the log.
type broadcaster struct {
	svc      *workflow.Service
	interval time.Duration
	logger   *slog.Logger

	mu      sync.Mutex
	subs    map[chan int64]struct{}
	started bool
	done    chan struct{}
	closed  bool
}

// MaxStreams bounds the maps open at once.
const MaxStreams = 1000

func newBroadcaster(svc *workflow.Service, interval time.Duration, logger *slog.Logger) *broadcaster {
	return &broadcaster{svc: svc, interval: interval, logger: logger, subs: map[chan int64]struct{}{}, done: make(chan struct{})}
}

// subscribe returns a channel that receives the log's size when it
// grows, or an error when too many maps are open or the server is
// shutting down.
func (b *broadcaster) subscribe() (chan int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, truce.Errorf(truce.ECONFLICT, "the server is shutting down")
	}
	if len(b.subs) >= MaxStreams {
		return nil, truce.Errorf(truce.ECONFLICT, "%d maps are open already; try again later", MaxStreams)
	}
	ch := make(chan int64, 1)
	b.subs[ch] = struct{}{}
	if !b.started {
		// The reader starts from the size now, before the stream sends
		// its own first size: a change after this is never missed.
		last, err := b.svc.LogSize(context.Background())
		if err != nil {
			delete(b.subs, ch)
			return nil, err
		}
		b.started = true
		go b.run(last)
	}
	return ch, nil
}

func (b *broadcaster) unsubscribe(ch chan int64) {
	b.mu.Lock()
	delete(b.subs, ch)
	b.mu.Unlock()
}

func (b *broadcaster) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
}

// run reads the log's size every interval and sends each change from
// last to every subscriber, replacing a size it has not taken yet. Each
// stream sends the size it opened at itself.
func (b *broadcaster) run(last int64) {
	t := time.NewTicker(b.interval)
	defer t.Stop()
	for {
		select {
		case <-b.done:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		n, err := b.svc.LogSize(ctx)
		cancel()
		if err != nil {
			b.logger.Warn("live map: reading the log's size", "err", err)
			continue
		}
		if n == last {
			continue
		}
		last = n
		b.mu.Lock()
		for ch := range b.subs {
			select {
			case <-ch:
			default:
			}
			ch <- n
		}
		b.mu.Unlock()
	}
}

// streamPing keeps an idle stream open through proxies.
const streamPing = 20 * time.Second

// handleEvents is the map's stream of server-sent events: "log" with the
// log's size when the stream opens and whenever the log grows. Browsers
// reconnect by themselves.
func (h *Handler) handleEvents(w http.ResponseWriter, r *http.Request) {
	rq, err := h.newRequest(w, r)
	if err != nil {
		h.jsonError(w, r, err)
		return
	}
	if rq.member() == nil {
		h.jsonError(w, r, truce.Errorf(truce.EUNAUTHORIZED, "sign in first: the map's events are for members"))
		return
	}
	ch, err := h.events.subscribe()
	if err != nil {
		w.Header().Set("Retry-After", "10")
		h.jsonError(w, r, err)
		return
	}
	defer h.events.unsubscribe(ch)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	// The server's read timeout would end the request (and cancel its
	// context) while the stream is open: a GET has nothing more to read.
	rc.SetReadDeadline(time.Time{})
	send := func(format string, args ...any) bool {
		// The server's write timeout would cut a long stream: each event
		// gets a deadline of its own.
		rc.SetWriteDeadline(time.Now().Add(time.Minute))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 2000\n\n") {
		return
	}
	// The size now, so that a map that reconnects fetches what it may have
	// missed while it was away.
	if n, err := h.Service.LogSize(r.Context()); err == nil && !send("event: log\ndata: %d\n\n", n) {
		return
	}
	ping := time.NewTicker(streamPing)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.events.done:
			return
		case n := <-ch:
			if !send("event: log\ndata: %d\n\n", n) {
				return
			}
		case <-ping.C:
			if !send(": ping\n\n") {
				return
			}
		}
	}
}
