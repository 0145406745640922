package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// write is one command a client sends: a report filed or an assessment
// made. Its path, token, idempotency key and body never change, so that a
// retry is the same request. Its tag, unique in the run, is written into the
// report's description or the assessment's reason: it is how the harness
// finds the write in the database.
type write struct {
	tag    string
	report bool   // a report; otherwise an assessment
	target string // the report an assessment is of, by id
	of     string // and by tag
	path   string
	token  string
	key    string
	body   []byte

	// Set by the ledger once the server answered 201.
	acked  bool
	answer []byte // the 201's body, which a retry with the key must repeat
	id     string // a report's id, from the answer

	lost bool // an audit found it missing after it was acknowledged
	seen bool // the last audit found it exactly once, as acknowledged
}

// ledger is the harness's own list of what it sent and what the server
// acknowledged, kept apart from anything the server says afterwards.
type ledger struct {
	mu         sync.Mutex
	writes     map[string]*write // by tag
	acked      []*write          // in the order of their 201s
	reports    []*write          // acknowledged reports, for assessments
	refused    int               // 404s for assessments of reports found lost (negative control)
	unexpected []string          // every other answer but 201
}

func newLedger() *ledger { return &ledger{writes: map[string]*write{}} }

// add enters a write before it is first sent.
func (l *ledger) add(w *write) {
	l.mu.Lock()
	l.writes[w.tag] = w
	l.mu.Unlock()
}

// answer records the server's complete answer to w.
func (l *ledger) answer(w *write, status int, body []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if status != http.StatusCreated {
		if status == http.StatusNotFound && !w.report && l.writes[w.of].lost {
			l.refused++
			return
		}
		l.unexpected = append(l.unexpected, fmt.Sprintf("POST %s (%s): %d %s", w.path, w.tag, status, clip(body)))
		return
	}
	if w.acked {
		return // a replay; compared by the caller
	}
	if w.report {
		var v struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &v) != nil || v.ID == "" {
			l.unexpected = append(l.unexpected, fmt.Sprintf("POST %s (%s): 201 without an id: %s", w.path, w.tag, clip(body)))
			return
		}
		w.id = v.ID
		l.reports = append(l.reports, w)
	}
	w.acked, w.answer = true, body
	l.acked = append(l.acked, w)
}

// assessable returns an acknowledged report not found lost, if any.
func (l *ledger) assessable(rng *rand.Rand) *write {
	l.mu.Lock()
	defer l.mu.Unlock()
	for range 4 {
		if len(l.reports) == 0 {
			return nil
		}
		if r := l.reports[rng.IntN(len(l.reports))]; !r.lost {
			return r
		}
	}
	return nil
}

// client files reports and, as a guarantor, assesses acknowledged ones, one
// request at a time, as one member.
type client struct {
	n         int
	token     string
	guarantor bool
	run       string // the run's id, in every tag
	rng       *rand.Rand
	l         *ledger
	sent      int
}

var verdicts = []string{"confirm", "dispute", "cannot_verify"}

// next makes the client's next write.
func (c *client) next() *write {
	c.sent++
	w := &write{tag: fmt.Sprintf("crash-%s-c%d-%d", c.run, c.n, c.sent), token: c.token}
	w.key = "key-" + w.tag
	if c.guarantor && c.rng.IntN(3) == 0 {
		if r := c.l.assessable(c.rng); r != nil {
			w.target, w.of = r.id, r.tag
			w.path = "/api/v1/reports/" + r.id + "/assessments"
			w.body, _ = json.Marshal(map[string]string{
				"verdict": verdicts[c.rng.IntN(len(verdicts))],
				"reason":  "Our observation post saw it otherwise. Ref " + w.tag,
			})
			c.l.add(w)
			return w
		}
	}
	t := places[c.rng.IntN(len(places))]
	at := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c.rng.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Minute)
	w.report, w.path = true, "/api/v1/reports"
	w.body, _ = json.Marshal(map[string]any{
		"occurred_at": at.Format(time.RFC3339), "lon": t.lon + 0.02*(c.rng.Float64()-0.5), "lat": t.lat + 0.02*(c.rng.Float64()-0.5),
		"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
		"perpetrator": "Syrian Arab Army",
		"description": fmt.Sprintf("Artillery shells fell on the edge of %s. Ref %s", t.name, w.tag),
	})
	c.l.add(w)
	return w
}

// place is a town in Syria, at its approximate centre.
type place struct {
	name     string
	lon, lat float64
}

var places = []place{
	{"Khan Shaykhun", 36.64, 35.44}, {"Saraqib", 36.80, 35.86}, {"Idlib", 36.63, 35.93},
	{"Hama", 36.75, 35.13}, {"Homs", 36.72, 34.73}, {"Douma", 36.40, 33.57},
	{"Daraa", 36.10, 32.62}, {"Aleppo", 37.16, 36.20}, {"Deir ez-Zor", 40.14, 35.33},
}

// session sends writes until one gets no complete answer, the server
// having been killed, and returns that one: it was in flight.
func (c *client) session(ctx context.Context, hc *http.Client, base string) *write {
	for {
		w := c.next()
		status, body, err := send(ctx, hc, base, w)
		if err != nil {
			return w
		}
		c.l.answer(w, status, body)
	}
}

// send posts w and reads the whole answer.
func send(ctx context.Context, hc *http.Client, base string, w *write) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+w.path, bytes.NewReader(w.body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Idempotency-Key", w.key)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}

// newHTTPClient returns a client with a fresh connection pool: the
// connections of a killed server are not reused.
func newHTTPClient(clients int) *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients + 2, DisableCompression: true},
	}
}
