package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// load is one run: clients submitting bodies back to back to base, for
// warm-up and then the measured duration, or until max requests are sent.
type load struct {
	base string
	// bases, when set, are servers that share one log (on PostgreSQL):
	// client i files to bases[i%len(bases)]; base is the first.
	bases    []string
	tokens   []string // client i files as tokens[i%len(tokens)]
	bodies   [][]byte // client i sends bodies i, i+clients, i+2·clients, …
	clients  int
	warmup   time.Duration
	duration time.Duration
	timeout  time.Duration
	max      int64

	// serverCPU, when set, reads the server's CPU time, sampled at the
	// start and the end of the measured window.
	serverCPU func() (time.Duration, bool)
	// serverRSS, when set, reads the server's resident memory.
	serverRSS func() (int64, bool)

	sent                       atomic.Int64
	created, non201, transport atomic.Int64

	mu       sync.Mutex
	errOrder []string       // the first distinct error answers, in order
	errCount map[string]int // how often each of them came
}

// maxErrs is how many distinct error answers are kept to be printed.
const maxErrs = 5

// giveUp is how many transport errors in a row stop a client: the server
// has gone, and spinning on refused connections measures nothing.
const giveUp = 10

// run runs the clients and fills in r: counts, the window, CPU times;
// the caller sorts the samples it returns, one slice per client.
func (l *load) run(ctx context.Context, r *result) ([][]time.Duration, error) {
	samples := make([][]time.Duration, l.clients)
	measured := make([]int64, l.clients)
	perClient := int(min(l.max, 2*l.max/int64(l.clients)+1024))

	start := time.Now()
	measureFrom := start.Add(l.warmup)
	until := measureFrom.Add(l.duration)
	var wg sync.WaitGroup
	for c := range l.clients {
		samples[c] = make([]time.Duration, 0, perClient)
		wg.Go(func() {
			measured[c] = l.client(ctx, c, measureFrom, until, &samples[c])
		})
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()

	// CPU times at the window's edges. The window ends early when every
	// client has stopped before it closed: -max was reached, the clients
	// gave up on a server that had gone, or Ctrl-C.
	var srv0, gen0, all0 time.Duration
	srvOK, allOK := false, false
	select {
	case <-time.After(time.Until(measureFrom)):
		gen0 = selfCPU()
		all0, allOK = machineCPU()
		if l.serverCPU != nil {
			srv0, srvOK = l.serverCPU()
		}
	case <-done:
	}
	select {
	case <-time.After(time.Until(until)):
	case <-done:
	}
	end := time.Now()
	if end.After(until) {
		end = until
	}
	gen1 := selfCPU()
	r.ServerCPU, r.MachineCPU = -1, -1
	if srvOK {
		if srv1, ok := l.serverCPU(); ok {
			r.ServerCPU = round((srv1 - srv0).Seconds(), 3)
		}
	}
	if allOK {
		if all1, ok := machineCPU(); ok {
			r.MachineCPU = round((all1 - all0).Seconds(), 3)
		}
	}
	<-done
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	r.Capped = l.sent.Load() > l.max
	r.Window = round(max(0, end.Sub(measureFrom).Seconds()), 3)
	if end.After(measureFrom) {
		r.GeneratorCPU = round((gen1 - gen0).Seconds(), 3)
	}
	for _, n := range measured {
		r.Measured += n
	}
	r.Created, r.Non201, r.Transport = l.created.Load(), l.non201.Load(), l.transport.Load()
	r.Requests = r.Created + r.Non201 + r.Transport
	r.FirstErrs = l.firstErrs()
	return samples, nil
}

// client submits reports one after another until the window closes, the
// cap is reached or ctx is cancelled. It records the latency of each 201
// that completes inside [from, until] in *samples, and returns how many.
func (l *load) client(ctx context.Context, c int, from, until time.Time, samples *[]time.Duration) int64 {
	hc := newClient(l.clients, l.timeout)
	defer hc.CloseIdleConnections()
	url := l.base + "/api/v1/reports"
	if len(l.bases) > 0 {
		url = l.bases[c%len(l.bases)] + "/api/v1/reports"
	}
	auth := "Bearer " + l.tokens[c%len(l.tokens)]
	var buf bytes.Buffer
	var n int64
	failing := 0 // transport errors in a row
	for i := c; ctx.Err() == nil && time.Now().Before(until); i += l.clients {
		if l.sent.Add(1) > l.max {
			return n
		}
		req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(l.bodies[i%len(l.bodies)]))
		if err != nil {
			panic(err) // the URL was checked before the run
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth)

		t0 := time.Now()
		resp, err := hc.Do(req)
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(resp.Body)
			resp.Body.Close()
		}
		t1 := time.Now()

		switch {
		case err != nil:
			if ctx.Err() != nil {
				return n // interrupted: not the server's error
			}
			l.transport.Add(1)
			l.noteErr(err.Error())
			if failing++; failing == giveUp {
				l.noteErr(fmt.Sprintf("a client gave up after %d transport errors in a row", giveUp))
				return n
			}
			continue
		case resp.StatusCode != http.StatusCreated:
			l.non201.Add(1)
			l.noteErr(resp.Status + ": " + clip(buf.Bytes()))
		default:
			failing = 0
			l.created.Add(1)
			if !t1.Before(from) && !t1.After(until) {
				*samples = append(*samples, t1.Sub(t0))
				n++
			}
		}
	}
	return n
}

// noteErr counts an error answer, keeping the first few distinct ones.
func (l *load) noteErr(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.errCount == nil {
		l.errCount = make(map[string]int)
	}
	if _, ok := l.errCount[msg]; ok || len(l.errOrder) < maxErrs {
		if !ok {
			l.errOrder = append(l.errOrder, msg)
		}
		l.errCount[msg]++
	}
}

// firstErrs returns the first distinct error answers with their counts.
func (l *load) firstErrs() []string {
	var out []string
	for _, msg := range l.errOrder {
		out = append(out, fmt.Sprintf("%d× %s", l.errCount[msg], msg))
	}
	return out
}

// newClient returns a client of its own, keeping its connections alive,
// that dials loopback addresses only.
func newClient(clients int, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout, Control: loopbackOnly}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// loopbackOnly refuses to connect to anything but a loopback address,
// whatever a host name resolved to.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address: the load generator only targets this machine", host)
	}
	return nil
}
