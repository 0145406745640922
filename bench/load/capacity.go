package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The capacity plan (-capacity): an open-loop load of reads and writes,
// sent at a fixed rate whatever the server's answers, so that a slow
// server meets more requests rather than fewer (no coordinated omission).
//
//  1. Steps: the rate goes up the -rates ladder, -step each, until a step
//     is unhealthy. A step is healthy when the server answered at least 95%
//     of the offered rate 2xx, fewer than 1% of requests failed, and the
//     p99 latency of the 2xx was under -p99. The knee is the last healthy
//     rate.
//  2. Soak: -soak at 80% of the knee; it must stay healthy, and the
//     server's resident memory is sampled every second.
//  3. Overload: -overload-duration at 3× the knee (-overload). The server
//     must shed what it cannot serve quickly, with 503 or 429 (their p99
//     under -shed-p99), and fail nothing else.
//  4. Recovery: -recover at 50% of the knee; healthy again.
//
// Then nothing acknowledged is lost: every report answered 201 is read
// back by its id, and the log grew by at least one entry per 201 and by no
// more than the requests whose fate is unknown (transport errors).
//
// Latency is measured from the moment a request was due, not from when a
// worker sent it: a request that waited for a free worker waited for the
// server.

// capacityConfig is the plan's command line.
type capacityConfig struct {
	rates     []float64
	step      time.Duration
	reads     float64
	p99       time.Duration
	soak      time.Duration
	overload  float64
	overDur   time.Duration
	shedP99   time.Duration
	recovery  time.Duration
	workers   int
	checkRead int // at most this many created reports read back (0: all)
}

func defaultRates() []float64 { return []float64{250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000} }

func parseRates(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("-rates: %q is not a positive rate", f)
		}
		if len(out) > 0 && r <= out[len(out)-1] {
			return nil, fmt.Errorf("-rates must go up: %v after %v", r, out[len(out)-1])
		}
		out = append(out, r)
	}
	return out, nil
}

// phase is one stretch of the plan at one offered rate.
type phase struct {
	Name    string  `json:"name"`
	Offered float64 `json:"offered_per_s"`
	Seconds float64 `json:"seconds"`

	Sent      int64 `json:"sent"`
	OK        int64 `json:"ok_2xx"`
	Created   int64 `json:"created_201"`
	Shed      int64 `json:"shed_503_429"`
	Failed    int64 `json:"failed"`    // other answers
	Transport int64 `json:"transport"` // no answer: fate unknown
	Missed    int64 `json:"missed"`    // due while every worker was busy: not sent

	Achieved float64 `json:"achieved_per_s"` // 2xx per second
	P50      ms      `json:"p50_ms"`
	P99      ms      `json:"p99_ms"`
	ShedP99  ms      `json:"shed_p99_ms"`
	RSSMax   int64   `json:"rss_max_bytes"` // -1 when the server was not started here
	Healthy  bool    `json:"healthy"`

	FirstErrs []string `json:"first_errors,omitempty"`
}

// healthy says whether a phase kept up with its offered rate.
func (p *phase) healthy(maxP99 time.Duration) bool {
	if p.Sent+p.Missed == 0 {
		return false
	}
	bad := float64(p.Failed+p.Transport+p.Shed+p.Missed) / float64(p.Sent+p.Missed)
	return p.Achieved >= 0.95*p.Offered && bad < 0.01 && time.Duration(p.P99) < maxP99
}

// capacity runs the plan against base, filing as tokens.
type capacity struct {
	cfg     capacityConfig
	base    string
	tokens  []string
	bodies  [][]byte
	timeout time.Duration
	rss     func() (int64, bool) // the server's resident memory; nil when not started here
	client  *http.Client

	seq     atomic.Int64 // request numbers, for bodies and idempotency keys
	mu      sync.Mutex
	created []string // ids of the reports answered 201, in all phases
}

// capacityResult is the whole plan's outcome.
type capacityResult struct {
	Phases    []*phase `json:"phases"`
	Knee      float64  `json:"knee_per_s"`
	Created   int64    `json:"created_total"`
	ReadBack  int      `json:"read_back"`
	Lost      int      `json:"lost"`
	LogBefore int64    `json:"log_size_before"`
	LogAfter  int64    `json:"log_size_after"`
	Transport int64    `json:"transport_total"`
	Verdicts  []string `json:"problems,omitempty"`
}

func (c *capacity) run(ctx context.Context, progress io.Writer) (*capacityResult, error) {
	res := &capacityResult{}
	var err error
	if res.LogBefore, err = logSize(ctx, c.client, c.base); err != nil {
		return nil, err
	}
	say := func(p *phase) {
		fmt.Fprintf(progress, "%-9s %7.0f/s offered: %7.1f/s 2xx, p50 %v p99 %v, shed %d, failed %d, transport %d, missed %d%s\n",
			p.Name, p.Offered, p.Achieved, p.P50, p.P99, p.Shed, p.Failed, p.Transport, p.Missed, map[bool]string{true: "", false: "  (unhealthy)"}[p.Healthy])
	}

	// 1. Steps up to the knee.
	for _, r := range c.cfg.rates {
		p := c.phase(ctx, "step", r, c.cfg.step)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Phases = append(res.Phases, p)
		say(p)
		if !p.Healthy {
			break
		}
		res.Knee = r
	}
	if res.Knee == 0 {
		res.Verdicts = append(res.Verdicts, fmt.Sprintf("no step was healthy, not even %v/s: no knee", c.cfg.rates[0]))
	} else {
		if res.Knee == c.cfg.rates[len(c.cfg.rates)-1] {
			res.Verdicts = append(res.Verdicts, fmt.Sprintf("the top of -rates (%v/s) was still healthy: the knee is higher; give higher -rates", res.Knee))
		}
		// 2–4. Soak, overload, recovery.
		for _, s := range []struct {
			name   string
			factor float64
			d      time.Duration
		}{{"soak", 0.8, c.cfg.soak}, {"overload", c.cfg.overload, c.cfg.overDur}, {"recovery", 0.5, c.cfg.recovery}} {
			if s.d <= 0 {
				continue
			}
			p := c.phase(ctx, s.name, s.factor*res.Knee, s.d)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			res.Phases = append(res.Phases, p)
			say(p)
			switch s.name {
			case "overload":
				if p.Failed > 0 {
					res.Verdicts = append(res.Verdicts, fmt.Sprintf("overload: %d requests failed otherwise than by being shed (503/429)", p.Failed))
				}
				if p.Shed == 0 {
					res.Verdicts = append(res.Verdicts, "overload: nothing was shed: the server queued everything")
				} else if time.Duration(p.ShedP99) > c.cfg.shedP99 {
					res.Verdicts = append(res.Verdicts, fmt.Sprintf("overload: refusals took %v at p99, over %v: shedding is not quick", p.ShedP99, c.cfg.shedP99))
				}
			default:
				if !p.Healthy {
					res.Verdicts = append(res.Verdicts, fmt.Sprintf("%s at %.0f/s was not healthy", s.name, p.Offered))
				}
			}
		}
	}

	// Nothing acknowledged is lost.
	for _, p := range res.Phases {
		res.Created += p.Created
		res.Transport += p.Transport
	}
	if res.LogAfter, err = logSize(ctx, c.client, c.base); err != nil {
		return nil, fmt.Errorf("after the run: %w", err)
	}
	grew := res.LogAfter - res.LogBefore
	if grew < res.Created {
		res.Verdicts = append(res.Verdicts, fmt.Sprintf("the log grew by %d entries for %d reports answered 201", grew, res.Created))
	}
	if grew > res.Created+res.Transport {
		res.Verdicts = append(res.Verdicts, fmt.Sprintf("the log grew by %d entries, more than the %d 201s and %d unanswered requests: a refused request was done", grew, res.Created, res.Transport))
	}
	ids := c.created
	if n := c.cfg.checkRead; n > 0 && len(ids) > n {
		rng := rand.New(rand.NewPCG(7, 7))
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		ids = ids[:n]
	}
	fmt.Fprintf(progress, "reading back %d of %d reports answered 201\n", len(ids), len(c.created))
	lost, err := c.readBack(ctx, ids)
	if err != nil {
		return nil, err
	}
	res.ReadBack, res.Lost = len(ids), lost
	if lost > 0 {
		res.Verdicts = append(res.Verdicts, fmt.Sprintf("%d reports answered 201 cannot be read back", lost))
	}
	return res, nil
}

// phase offers rate requests a second for d and measures the answers.
func (c *capacity) phase(ctx context.Context, name string, rate float64, d time.Duration) *phase {
	p := &phase{Name: name, Offered: rate, RSSMax: -1}
	type job struct{ due time.Time }
	// A queue as long as the workers are many: a request due while every
	// worker is busy waits there (its latency counts from when it was
	// due), and is missed only when that is full too.
	jobs := make(chan job, c.cfg.workers)
	var (
		mu              sync.Mutex
		okLat, shedLat  []time.Duration
		errOrder        []string
		sent, ok, crtd  atomic.Int64
		shed, fail, trn atomic.Int64
	)
	note := func(msg string) {
		mu.Lock()
		if len(errOrder) < maxErrs && !slices.Contains(errOrder, msg) {
			errOrder = append(errOrder, msg)
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range c.cfg.workers {
		wg.Go(func() {
			for j := range jobs {
				sent.Add(1)
				status, id, body, err := c.request(ctx)
				lat := time.Since(j.due)
				switch {
				case err != nil:
					if ctx.Err() != nil {
						continue
					}
					trn.Add(1)
					note(err.Error())
				case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests:
					shed.Add(1)
					mu.Lock()
					shedLat = append(shedLat, lat)
					mu.Unlock()
				case status/100 == 2:
					ok.Add(1)
					mu.Lock()
					okLat = append(okLat, lat)
					mu.Unlock()
					if id != "" {
						crtd.Add(1)
						c.mu.Lock()
						c.created = append(c.created, id)
						c.mu.Unlock()
					}
				default:
					fail.Add(1)
					note(strconv.Itoa(status) + ": " + clip(body))
				}
			}
		})
	}

	// Resident memory, every second.
	stopRSS := make(chan struct{})
	var rssWG sync.WaitGroup
	if c.rss != nil {
		rssWG.Go(func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				if v, ok := c.rss(); ok && v > p.RSSMax {
					p.RSSMax = v
				}
				select {
				case <-stopRSS:
					return
				case <-t.C:
				}
			}
		})
	}

	// The arrivals: request i is due at start + i/rate, sent by a free
	// worker, or missed when none is.
	start := time.Now()
	end := start.Add(d)
	interval := time.Duration(float64(time.Second) / rate)
	var missed int64
	for i := int64(0); ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * interval)
		if !due.Before(end) {
			break
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case jobs <- job{due}:
		default:
			missed++
		}
	}
	close(jobs)
	wg.Wait()
	close(stopRSS)
	rssWG.Wait()

	slices.Sort(okLat)
	slices.Sort(shedLat)
	p.Seconds = round(d.Seconds(), 3)
	p.Sent, p.OK, p.Created = sent.Load(), ok.Load(), crtd.Load()
	p.Shed, p.Failed, p.Transport, p.Missed = shed.Load(), fail.Load(), trn.Load(), missed
	// 2xx over the phase's length. The answers to the last requests come
	// after its end; a server slow to give them is caught by the p99.
	p.Achieved = round(float64(p.OK)/d.Seconds(), 1)
	p.P50, p.P99, p.ShedP99 = ms(percentile(okLat, 50)), ms(percentile(okLat, 99)), ms(percentile(shedLat, 99))
	p.FirstErrs = errOrder
	p.Healthy = p.healthy(c.cfg.p99)
	return p
}

// request sends one request of the mix: a report filed (with an
// idempotency key), or one of three reads. It returns the status, the id
// of a report answered 201, and the body of an error answer.
func (c *capacity) request(ctx context.Context) (int, string, []byte, error) {
	n := c.seq.Add(1)
	rng := rand.New(rand.NewPCG(uint64(n), 11))
	tok := c.tokens[int(n)%len(c.tokens)]
	var req *http.Request
	var err error
	write := rng.Float64() >= c.cfg.reads
	if write {
		req, err = http.NewRequestWithContext(ctx, "POST", c.base+"/api/v1/reports", bytes.NewReader(c.bodies[int(n)%len(c.bodies)]))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "capacity-"+strconv.FormatInt(n, 10))
		}
	} else {
		path := "/api/v1/reports?limit=20"
		switch k := rng.IntN(3); {
		case k == 1:
			path = "/log/checkpoint"
		case k == 2:
			c.mu.Lock()
			if len(c.created) > 0 {
				path = "/api/v1/reports/" + c.created[rng.IntN(len(c.created))]
			}
			c.mu.Unlock()
		}
		req, err = http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	}
	if err != nil {
		panic(err) // the URL was checked before the run
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", nil, err
	}
	if write && resp.StatusCode == http.StatusCreated {
		var r struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &r) != nil || r.ID == "" {
			return resp.StatusCode, "", body, errors.New("a 201 without a report id")
		}
		return resp.StatusCode, r.ID, nil, nil
	}
	if resp.StatusCode/100 == 2 {
		return resp.StatusCode, "", nil, nil
	}
	return resp.StatusCode, "", body, nil
}

// readBack reads each report by id, a few at a time, and returns how many
// are missing. A 503 is tried again after its Retry-After.
func (c *capacity) readBack(ctx context.Context, ids []string) (int, error) {
	var lost atomic.Int64
	var firstErr error
	var once sync.Once
	next := make(chan string)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for id := range next {
				for attempt := 0; ; attempt++ {
					req, _ := http.NewRequestWithContext(ctx, "GET", c.base+"/api/v1/reports/"+id, nil)
					req.Header.Set("Authorization", "Bearer "+c.tokens[0])
					resp, err := c.client.Do(req)
					if err != nil {
						once.Do(func() { firstErr = fmt.Errorf("reading back %s: %w", id, err) })
						break
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusServiceUnavailable && attempt < 10 {
						time.Sleep(time.Second)
						continue
					}
					if resp.StatusCode != http.StatusOK {
						lost.Add(1)
					}
					break
				}
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	return int(lost.Load()), firstErr
}

// print writes the plan's outcome for people.
func (r *capacityResult) print(w io.Writer) {
	fmt.Fprintf(w, "%-9s %9s %9s %9s %9s %9s %7s %7s %7s %7s %9s %8s\n",
		"phase", "offered/s", "2xx/s", "p50", "p99", "shed p99", "shed", "failed", "unansd", "missed", "rss max", "healthy")
	for _, p := range r.Phases {
		rss := "-"
		if p.RSSMax >= 0 {
			rss = fmt.Sprintf("%.0f MiB", float64(p.RSSMax)/(1<<20))
		}
		fmt.Fprintf(w, "%-9s %9.0f %9.1f %9v %9v %9v %7d %7d %7d %7d %9s %8v\n",
			p.Name, p.Offered, p.Achieved, p.P50, p.P99, p.ShedP99, p.Shed, p.Failed, p.Transport, p.Missed, rss, p.Healthy)
		for _, e := range p.FirstErrs {
			fmt.Fprintf(w, "          error: %s\n", e)
		}
	}
	fmt.Fprintf(w, "knee        %.0f requests/s (the last healthy step)\n", r.Knee)
	fmt.Fprintf(w, "created     %d reports answered 201; %d read back, %d missing\n", r.Created, r.ReadBack, r.Lost)
	fmt.Fprintf(w, "log size    %d -> %d (+%d for %d 201s and %d unanswered)\n", r.LogBefore, r.LogAfter, r.LogAfter-r.LogBefore, r.Created, r.Transport)
	if len(r.Verdicts) == 0 {
		fmt.Fprintln(w, "verdict     OK: healthy to the knee, in the soak and after the overload; the overload shed quickly; nothing acknowledged lost")
	}
	for _, v := range r.Verdicts {
		fmt.Fprintf(w, "PROBLEM     %s\n", v)
	}
}
