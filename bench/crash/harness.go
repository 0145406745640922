package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	tlog "truce/log"
)

// summary is what a run found. Lost, Duplicated, Wrong and ReplayChanged
// count writes; the failures of each kind keep their first messages.
type summary struct {
	Control  bool
	Seed     uint64
	Kills    int
	Duration time.Duration

	Acked            int // writes answered 201
	AckedReports     int
	AckedAssessments int
	InFlight         int // requests without an answer at a kill
	InFlightStored   int // of which the copy of the killed server's data held
	Retried          int // of which a retry with the key had answered 201
	Replayed         int // acknowledged writes sent again with their key
	Refused          int // assessments of reports found lost (negative control)

	Lost          int // acknowledged, then missing
	LostAtKills   int // kills after which new losses were found
	Duplicated    int // on more than one row
	Wrong         int // present, but not as acknowledged
	ReplayChanged int // a retry with the key got another answer

	Checks          int // offline checks: one per kill and one at the end
	VerifyOK        int
	IntegrityOK     int
	CheckpointsOK   int           // restarts whose checkpoint went on from the last one seen
	CheckpointsSeen int           // checkpoints polled while the servers ran
	LogSize         int64         // of the last checkpoint checked
	Restarts        time.Duration // from start to /healthz answering, every restart
	Checking        time.Duration // in the offline checks (verify most of it)

	Failures []string // every other failure (the first few): checks, unexpected answers
	Failed   int      // how many failures in all
}

func (s *summary) fail(format string, a ...any) {
	s.Failed++
	if len(s.Failures) < 10 {
		s.Failures = append(s.Failures, fmt.Sprintf(format, a...))
	}
}

// crash runs the harness as c says, printing progress, and returns what it
// found. An error means the run could not go on (a server that would not
// start, say); what was found until then is returned with it.
func crash(ctx context.Context, c *config, progress io.Writer) (_ *summary, err error) {
	start := time.Now()
	sum := &summary{Control: c.control, Seed: c.seed}
	defer func() { sum.Duration = time.Since(start) }()
	dir, err := os.MkdirTemp("", "truce-crash-")
	if err != nil {
		return nil, err
	}
	if c.keep {
		defer fmt.Fprintf(progress, "kept %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := c.bin
	if bin == "" {
		if bin, err = build(ctx, dir, progress); err != nil {
			return nil, err
		}
	} else if bin, err = filepath.Abs(bin); err != nil {
		return nil, err
	}
	s, err := newServer(ctx, bin, dir, c.control)
	if err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	defer s.kill()
	rng := rand.New(rand.NewPCG(c.seed, 0x63726173680a))
	runID := fmt.Sprintf("%06x", rng.Uint32()&0xffffff)
	l := newLedger()
	var clients []*client
	members := []struct {
		org, role string
	}{{"RU", "guarantor"}, {"IR", "guarantor"}, {"TR", "guarantor"}, {"OPP", "party"}, {"SYG", "party"}}
	var tokens []string
	for _, m := range members {
		tok, err := s.addMember(ctx, m.org, m.role)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, tok)
	}
	// The members must outlive the first kill, under -control too, where
	// their creation was acknowledged before it committed: an orderly stop
	// commits it.
	if err := s.stop(); err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	for i := range c.clients {
		m := i % len(members)
		clients = append(clients, &client{n: i, token: tokens[m], guarantor: members[m].role == "guarantor",
			run: runID, rng: rand.New(rand.NewPCG(rng.Uint64(), uint64(i))), l: l})
	}
	mode := "durable"
	if c.control {
		mode = "NEGATIVE CONTROL (acknowledged before commit)"
	}
	fmt.Fprintf(progress, "%s: %d kills, %d clients, delays %v–%v, seed %d, data %s\n",
		mode, c.kills, c.clients, c.minDelay, c.maxDelay, c.seed, s.data)

	cps := &checkpoints{s: s}
	dup := map[string]bool{}
	for k := 1; k <= c.kills; k++ {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		before := len(l.acked)
		delay := c.minDelay + time.Duration(rng.Int64N(int64(c.maxDelay-c.minDelay)+1))
		inflight, seen := loadAndKill(ctx, s, cps, clients, delay, sum)
		loadAcked := len(l.acked) - before
		sum.Kills++
		sum.InFlight += len(inflight)

		// The copy keeps the crashed state for the checks while a new server
		// recovers the original.
		snap := filepath.Join(dir, fmt.Sprintf("copy-%d", k))
		if err := snapshot(s.data, snap); err != nil {
			return sum, err
		}
		restart := time.Now()
		if err := s.start(ctx); err != nil {
			return sum, fmt.Errorf("restart after kill %d: %w", k, err)
		}
		restarted := time.Since(restart)
		sum.Restarts += restarted
		checking := time.Now()
		o, err := checkOffline(ctx, bin, snap)
		sum.Checking += time.Since(checking)
		os.RemoveAll(snap)
		if err != nil {
			return sum, fmt.Errorf("checks after kill %d: %w", k, err)
		}
		newlyLost := sum.record(fmt.Sprintf("kill %d", k), o, l, dup)
		for _, w := range inflight {
			if len(o.found[w.tag]) > 0 {
				sum.InFlightStored++
			}
		}

		hc := newHTTPClient(c.clients)
		cpOK := afterRestart(ctx, hc, cps, seen, sum, k)
		replay(ctx, hc, s.url, l, rng, c.replays, sum)
		for _, w := range inflight {
			status, body, err := send(ctx, hc, s.url, w)
			if err != nil {
				return sum, fmt.Errorf("retry after kill %d: %w", k, err)
			}
			l.answer(w, status, body)
			l.mu.Lock()
			if w.acked {
				sum.Retried++
			}
			l.mu.Unlock()
		}
		hc.CloseIdleConnections()
		fmt.Fprintf(progress, "kill %3d after %3dms: %4d acknowledged (%d in all), %d in flight (%d stored); restart %4dms; checkpoint %d %s; lost %d, duplicated %d; integrity %s; verify %s\n",
			k, delay.Milliseconds(), loadAcked, len(l.acked), len(inflight), countStored(inflight, o),
			restarted.Milliseconds(), cps.last.Size, okWord(cpOK), newlyLost, sum.Duplicated, o.integrity, errWord(o.verify))
	}

	// The end: the retried writes of the last kill are checked too, on the
	// data directory itself, after an orderly stop.
	if err := s.stop(); err != nil {
		sum.fail("stop: %v", err)
	}
	o, err := checkOffline(ctx, bin, s.data)
	if err != nil {
		return sum, fmt.Errorf("final checks: %w", err)
	}
	sum.record("the end", o, l, dup)
	l.mu.Lock()
	for _, w := range l.acked {
		if w.report {
			sum.AckedReports++
		} else {
			sum.AckedAssessments++
		}
	}
	sum.Acked, sum.Refused = len(l.acked), l.refused
	for _, u := range l.unexpected {
		sum.fail("unexpected answer: %s", u)
	}
	l.mu.Unlock()
	sum.LogSize = cps.last.Size
	return sum, nil
}

// loadAndKill runs the clients against the server and kills it after
// delay. It returns the requests left without an answer and the largest
// checkpoint polled meanwhile (checked then against the restarted server).
func loadAndKill(ctx context.Context, s *server, cps *checkpoints, clients []*client, delay time.Duration, sum *summary) ([]*write, tlog.Checkpoint) {
	hc := newHTTPClient(len(clients))
	defer hc.CloseIdleConnections()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		inflight []*write
	)
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w := c.session(ctx, hc, s.url); w != nil {
				mu.Lock()
				inflight = append(inflight, w)
				mu.Unlock()
			}
		}()
	}
	// The poller keeps the largest checkpoint it sees; within one server's
	// life, checkpoints must never shrink or fork.
	pollCtx, stopPoll := context.WithCancel(ctx)
	polled := make(chan tlog.Checkpoint, 1)
	go func() {
		largest := cps.last
		defer func() { polled <- largest }()
		for pollCtx.Err() == nil {
			cp, err := cps.fetch(pollCtx, hc)
			switch {
			case err != nil:
				if pollCtx.Err() == nil && !isTransport(err) {
					sum.fail("checkpoint: %v", err)
				}
			case cp.Size < largest.Size || cp.Size == largest.Size && cp.Root != largest.Root:
				sum.fail("checkpoint went from size %d to %d (or forked) while the server ran", largest.Size, cp.Size)
			default:
				sum.CheckpointsSeen++
				largest = cp
			}
			select {
			case <-pollCtx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	select {
	case <-ctx.Done():
	case <-time.After(delay):
	}
	s.kill()
	wg.Wait()
	stopPoll()
	return inflight, <-polled
}

// isTransport reports whether err is a failure to talk to the server at
// all (a killed one) rather than a bad answer.
func isTransport(err error) bool {
	var ue interface{ Timeout() bool }
	return errors.As(err, &ue) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// afterRestart checks the restarted server's checkpoint against the
// largest one seen before the kill, through it if it is larger than the
// last one checked.
func afterRestart(ctx context.Context, hc *http.Client, cps *checkpoints, seen tlog.Checkpoint, sum *summary, k int) bool {
	if seen.Size > cps.last.Size {
		if err := cps.advance(ctx, hc, seen); err != nil {
			sum.fail("kill %d: %v", k, err)
			return false
		}
	}
	cp, err := cps.fetch(ctx, hc)
	if err == nil {
		err = cps.advance(ctx, hc, cp)
	}
	if err != nil {
		sum.fail("kill %d: %v", k, err)
		return false
	}
	sum.CheckpointsOK++
	return true
}

// replay sends up to n acknowledged writes, last found in the database,
// again with their keys: each must be answered 201 with its first answer,
// byte for byte, and append nothing (which the next audit checks).
func replay(ctx context.Context, hc *http.Client, base string, l *ledger, rng *rand.Rand, n int, sum *summary) {
	l.mu.Lock()
	var pick []*write
	for range n {
		if len(l.acked) == 0 {
			break
		}
		if w := l.acked[rng.IntN(len(l.acked))]; w.seen {
			pick = append(pick, w)
		}
	}
	l.mu.Unlock()
	for _, w := range pick {
		status, body, err := send(ctx, hc, base, w)
		sum.Replayed++
		if err != nil || status != http.StatusCreated || !bytes.Equal(body, w.answer) {
			sum.ReplayChanged++
			sum.fail("retry of acknowledged %s: %d %v %s, want its first answer %s", w.tag, status, err, clip(body), clip(w.answer))
		}
	}
}

// record adds an offline check's results to the summary and returns how
// many writes it found lost for the first time.
func (s *summary) record(when string, o *offline, l *ledger, dup map[string]bool) int {
	s.Checks++
	if o.integrity == "ok" {
		s.IntegrityOK++
	} else {
		s.fail("%s: integrity_check: %s", when, o.integrity)
	}
	if o.verify == nil {
		s.VerifyOK++
	} else {
		s.fail("%s: %v", when, o.verify)
	}
	a := l.audit(o.found, dup)
	s.Lost += len(a.lost)
	s.Duplicated += len(a.duplicated)
	s.Wrong += len(a.wrong)
	if len(a.lost) > 0 {
		s.LostAtKills++
		if !s.Control {
			s.fail("%s: %d acknowledged writes lost, such as %s", when, len(a.lost), a.lost[0])
		}
	}
	for _, d := range a.duplicated {
		s.fail("%s: %s is stored more than once", when, d)
	}
	for _, w := range a.wrong {
		s.fail("%s: %s", when, w)
	}
	return len(a.lost)
}

func countStored(inflight []*write, o *offline) int {
	n := 0
	for _, w := range inflight {
		if len(o.found[w.tag]) > 0 {
			n++
		}
	}
	return n
}

func okWord(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILED"
}

func errWord(err error) string {
	if err == nil {
		return "ok"
	}
	return "FAILED"
}

// verdict is nil when the run showed what it must: no loss and no failure;
// under -control, losses (and no other failure).
func (s *summary) verdict() error {
	var errs []error
	if s.Acked == 0 {
		errs = append(errs, errors.New("no write was acknowledged: the run tested nothing"))
	}
	if s.Control && s.Lost == 0 {
		errs = append(errs, errors.New("negative control: no acknowledged write was lost, so the harness cannot be shown to see losses"))
	}
	if s.Failed > 0 {
		errs = append(errs, fmt.Errorf("%d failures, the first: %s", s.Failed, s.Failures[0]))
	}
	return errors.Join(errs...)
}

// print writes the summary.
func (s *summary) print(w io.Writer) {
	mode := "durable"
	if s.Control {
		mode = "negative control (acknowledged before commit)"
	}
	fmt.Fprintf(w, "\ntruce crash harness, %s: %d kills in %v (seed %d)\n", mode, s.Kills, s.Duration.Round(time.Second), s.Seed)
	fmt.Fprintf(w, "  acknowledged writes   %7d  (%d reports, %d assessments)\n", s.Acked, s.AckedReports, s.AckedAssessments)
	fmt.Fprintf(w, "  in flight at a kill   %7d  (%d found stored in the crashed copy); %d answered 201 on retry with their key\n", s.InFlight, s.InFlightStored, s.Retried)
	fmt.Fprintf(w, "  lost                  %7d  (new losses after %d kills)\n", s.Lost, s.LostAtKills)
	fmt.Fprintf(w, "  duplicated            %7d\n", s.Duplicated)
	fmt.Fprintf(w, "  stored otherwise      %7d\n", s.Wrong)
	fmt.Fprintf(w, "  answers changed       %7d  of %d acknowledged writes retried with their key\n", s.ReplayChanged, s.Replayed)
	if s.Refused > 0 {
		fmt.Fprintf(w, "  refused               %7d  (assessments of lost reports)\n", s.Refused)
	}
	fmt.Fprintf(w, "  log verify            %4d/%d ok\n", s.VerifyOK, s.Checks)
	fmt.Fprintf(w, "  integrity_check       %4d/%d ok\n", s.IntegrityOK, s.Checks)
	fmt.Fprintf(w, "  checkpoints           %4d/%d restarts consistent with the last seen; %d polled; last checked size %d\n", s.CheckpointsOK, s.Kills, s.CheckpointsSeen, s.LogSize)
	if s.Kills > 0 {
		fmt.Fprintf(w, "  time                  restart %v, offline checks %v on average\n",
			(s.Restarts / time.Duration(s.Kills)).Round(time.Millisecond), (s.Checking / time.Duration(s.Kills)).Round(time.Millisecond))
	}
	for _, f := range s.Failures {
		fmt.Fprintf(w, "  FAIL %s\n", f)
	}
	if s.Failed > len(s.Failures) {
		fmt.Fprintf(w, "  FAIL … and %d more\n", s.Failed-len(s.Failures))
	}
	if err := s.verdict(); err != nil {
		fmt.Fprintf(w, "verdict: FAIL\n")
	} else if s.Control {
		fmt.Fprintf(w, "verdict: PASS (the harness saw the losses)\n")
	} else {
		fmt.Fprintf(w, "verdict: PASS\n")
	}
}
