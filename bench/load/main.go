// Command load measures durable report submissions through the HTTP API:
// how many reports per second concurrent clients file, each answered 201
// only after the server's synchronous=FULL commit, and at what latency.
//
// Usage, from the module root:
//
//	go run ./bench/load [-clients 32] [-duration 20s] [-warmup 2s] [-max 200000] [-json]
//	go run ./bench/load -addr http://127.0.0.1:8080 -token TOKEN   # a server already running
//	go run ./bench/load -db postgres://… -servers 2   # two servers sharing one log on PostgreSQL
//
// By default it builds cmd/truce into a temporary directory (or takes the
// binary -bin names), runs `truce init` there and starts `truce serve` on a
// free loopback port as a separate process, so that the server and the generator do not share a Go
// runtime; adds a guarantor officer of RU, IR and TR and a liaison of OPP
// and of SYG through the API; and stops the server at the end, on error
// and on Ctrl-C. Each client has its own HTTP client and connection and
// files as one of those members in turn, sending the next body as soon as
// the last answer has been read. The bodies are drawn from a seeded
// random source before the clock starts.
//
// It prints the submissions answered 201 in the measured window (the
// warm-up excluded) per second, the exact latency percentiles of those
// answers, the error count, the log's growth (at least one entry per 201)
// and the CPU time the server and the generator used, and a verdict
// against the project's target of 2,000 durable submissions/s at a p99
// under 50 ms. It exits 1 on errors (more than 1% of requests not
// answered 201, a log that grew less than the 201s), not on a missed
// target. It targets loopback addresses only and is bounded by -max
// requests and by -warmup + -duration + -timeout in time. See README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	interrupted := ctx.Err() != nil
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0) // as the flag package does for -h
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	case interrupted:
		fmt.Fprintln(os.Stderr, "load: interrupted; nothing measured")
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	addr     string
	bin      string
	tokens   []string
	clients  int
	duration time.Duration
	warmup   time.Duration
	timeout  time.Duration
	max      int64
	seed     uint64
	keep     bool
	json     bool
	addrs    []string // -addr, split at commas
	db       string   // -db: serve on this PostgreSQL database
	servers  int      // -servers: how many servers, with -db

	capacity bool // the capacity plan instead of the closed-loop measurement
	plan     capacityConfig
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var tokens string
	fs.StringVar(&c.addr, "addr", "", "the base URL of a running server on a loopback address (default: build and start one); several, comma-separated, are servers sharing one log (on PostgreSQL), client i filing to the i-th in turn")
	fs.StringVar(&c.db, "db", "", "serve on this PostgreSQL database (postgres://…; its log must be empty) instead of a SQLite data directory")
	fs.IntVar(&c.servers, "servers", 1, "with -db: how many truce serve processes share the database's log; client i files to the i-th in turn")
	fs.StringVar(&c.bin, "bin", "", "serve with this truce binary instead of building ./cmd/truce")
	fs.StringVar(&tokens, "token", "", "with -addr: the bearer token of a member who may file reports (several, comma-separated, are used in turn)")
	fs.IntVar(&c.clients, "clients", 32, "concurrent clients, each with its own connection")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "the measured window, after the warm-up")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "time to run before measuring (not counted)")
	fs.Int64Var(&c.max, "max", 200000, "at most this many requests in all, warm-up included")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Second, "the time limit of each request")
	fs.Uint64Var(&c.seed, "seed", 1, "the seed of the report bodies")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (binary, data, server log)")
	fs.BoolVar(&c.json, "json", false, "also print the result as JSON")
	fs.BoolVar(&c.capacity, "capacity", false, "run the capacity plan: open-loop reads and writes stepped up to the knee, a soak, an overload and a recovery (see capacity.go)")
	rates := fs.String("rates", "", "with -capacity: the offered rates to step through, requests/s, comma-separated, rising (default 250,500,1000,1500,2000,3000,4000,6000,8000)")
	fs.DurationVar(&c.plan.step, "step", 10*time.Second, "with -capacity: how long each step lasts")
	fs.Float64Var(&c.plan.reads, "reads", 0.5, "with -capacity: the share of reads in the mix, 0 to 1 (the rest files reports)")
	fs.DurationVar(&c.plan.p99, "p99", 100*time.Millisecond, "with -capacity: a healthy step's p99 latency is under this")
	fs.DurationVar(&c.plan.soak, "soak", 10*time.Minute, "with -capacity: the soak at 80% of the knee (0: none)")
	fs.Float64Var(&c.plan.overload, "overload", 3, "with -capacity: the overload's rate, as a multiple of the knee")
	fs.DurationVar(&c.plan.overDur, "overload-duration", 30*time.Second, "with -capacity: how long the overload lasts (0: none)")
	fs.DurationVar(&c.plan.shedP99, "shed-p99", 500*time.Millisecond, "with -capacity: refusals under overload come within this at p99")
	fs.DurationVar(&c.plan.recovery, "recover", 20*time.Second, "with -capacity: the recovery at 50% of the knee after the overload (0: none)")
	fs.IntVar(&c.plan.workers, "workers", 1024, "with -capacity: the generator's concurrent requests at most; a request due when all are busy is counted missed")
	fs.IntVar(&c.plan.checkRead, "read-back", 200000, "with -capacity: at most this many reports answered 201 are read back at the end, drawn at random (0: all)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.plan.rates = defaultRates()
	if *rates != "" {
		r, err := parseRates(*rates)
		if err != nil {
			fs.Usage()
			return nil, usageError{err}
		}
		c.plan.rates = r
	}
	if c.capacity && (c.plan.step <= 0 || c.plan.reads < 0 || c.plan.reads > 1 || c.plan.p99 <= 0 || c.plan.overload <= 1 ||
		c.plan.soak < 0 || c.plan.overDur < 0 || c.plan.recovery < 0 || c.plan.workers < 1 || c.plan.checkRead < 0 || c.plan.shedP99 <= 0) {
		fs.Usage()
		return nil, usageError{errors.New("-step, -p99, -shed-p99 and -workers must be positive, -reads between 0 and 1, -overload above 1, -soak, -overload-duration, -recover and -read-back not negative")}
	}
	usage := func(format string, a ...any) (*config, error) {
		fs.Usage()
		return nil, usageError{fmt.Errorf(format, a...)}
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected arguments %q", fs.Args())
	case c.clients < 1 || c.duration <= 0 || c.warmup < 0 || c.timeout <= 0 || c.max < 1:
		return usage("-clients, -duration, -timeout and -max must be positive, -warmup not negative")
	}
	if tokens != "" {
		c.tokens = strings.Split(tokens, ",")
	}
	if c.addr == "" && tokens != "" {
		return usage("-token goes with -addr; without it the generator adds its own members")
	}
	if c.servers < 1 || c.servers > 1 && c.db == "" {
		return usage("-servers must be at least 1, and more than 1 needs -db: servers share a log on PostgreSQL")
	}
	if c.addr != "" && c.db != "" {
		return usage("-db and -addr exclude each other: -addr targets a server already running")
	}
	if c.addr != "" && c.bin != "" {
		return usage("-bin and -addr exclude each other: -addr targets a server already running")
	}
	if c.addr != "" {
		if tokens == "" {
			return usage("-addr needs -token: a member who may file reports")
		}
		for _, a := range strings.Split(c.addr, ",") {
			base, err := loopbackBase(a)
			if err != nil {
				return nil, usageError{err}
			}
			c.addrs = append(c.addrs, base)
		}
		c.addr = c.addrs[0]
	}
	return c, nil
}

// usageError is a command line the generator cannot run; it exits 2.
type usageError struct{ error }

// loopbackBase checks that addr is an http(s) URL of a loopback host
// (an IP loopback address or localhost) and returns it without a trailing
// slash. "127.0.0.1:8080" is read as http://127.0.0.1:8080.
func loopbackBase(addr string) (string, error) {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return "", fmt.Errorf("-addr: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", fmt.Errorf("-addr %s: want a base URL such as http://127.0.0.1:8080", addr)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip == nil && host != "localhost" || ip != nil && !ip.IsLoopback() {
		return "", fmt.Errorf("-addr %s: %s is not a loopback address; the load generator only targets this machine", addr, host)
	}
	return u.Scheme + "://" + u.Host, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	l := &load{base: c.addr, tokens: c.tokens, bases: c.addrs, clients: c.clients, warmup: c.warmup,
		duration: c.duration, timeout: c.timeout, max: c.max}

	if c.addr == "" {
		dir, err := os.MkdirTemp("", "truce-load-")
		if err != nil {
			return err
		}
		if c.keep {
			defer fmt.Fprintf(stderr, "kept %s\n", dir)
		} else {
			defer os.RemoveAll(dir)
		}
		if c.db != "" {
			ss, err := startPGServers(ctx, dir, c.bin, c.db, c.servers, stderr)
			if err != nil {
				return err
			}
			for _, s := range ss {
				defer s.stop(stderr)
				l.bases = append(l.bases, s.url)
			}
			if l.tokens, err = ss[0].filers(ctx); err != nil {
				return err
			}
			l.base, l.serverCPU, l.serverRSS = ss[0].url, sumCPU(ss), sumRSS(ss)
		} else {
			s, err := startServer(ctx, dir, c.bin, stderr)
			if err != nil {
				return err
			}
			defer s.stop(stderr)
			if l.tokens, err = s.filers(ctx); err != nil {
				return err
			}
			l.base, l.serverCPU, l.serverRSS = s.url, s.cpu, s.rss
		}
	}

	// The bodies are ready before the clock starts; a pool of distinct
	// ones, sent in turn, is as good as one body per request.
	l.bodies = bodies(c.seed, int(min(c.max, 8192)))

	if c.capacity {
		return runCapacity(ctx, c, l, stdout, stderr)
	}

	hc := newClient(1, c.timeout)
	r := &result{Clients: c.clients, Warmup: c.warmup.Seconds(), Cores: runtime.NumCPU()}
	if c.addr != "" {
		for i, tok := range l.tokens {
			if err := checkFiler(ctx, hc, l.base, tok); err != nil {
				return fmt.Errorf("-token %d of %d: %w", i+1, len(l.tokens), err)
			}
		}
	}
	if r.LogBefore, err = logSize(ctx, hc, l.base); err != nil {
		return err
	}
	targets := l.base
	if len(l.bases) > 1 {
		targets = strings.Join(l.bases, ", ")
	}
	fmt.Fprintf(stderr, "%d clients filing as %d members to %s: %v warm-up, %v measured, at most %d requests\n",
		c.clients, len(l.tokens), targets, c.warmup, c.duration, c.max)
	samples, err := l.run(ctx, r)
	if err != nil {
		return err
	}
	var errs []error
	if r.LogAfter, err = logSize(ctx, hc, l.base); err != nil {
		r.LogAfter = -1
		errs = append(errs, fmt.Errorf("after the run: %w", err))
	}
	r.summarise(samples)

	r.print(stdout)
	if c.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	}

	if r.Measured == 0 {
		errs = append(errs, errors.New("no durable submission completed in the measured window"))
	}
	if rate := r.errorRate(); rate > 0.01 {
		errs = append(errs, fmt.Errorf("%.2f%% of requests were not answered 201 (more than 1%%)", 100*rate))
	}
	if grew := r.LogAfter - r.LogBefore; r.LogAfter >= 0 && grew < r.Created {
		errs = append(errs, fmt.Errorf("the log grew by %d entries for %d 201s: a submission answered 201 was not logged", grew, r.Created))
	}
	return errors.Join(errs...)
}

// runCapacity runs the capacity plan and fails when it finds a problem.
func runCapacity(ctx context.Context, c *config, l *load, stdout, stderr io.Writer) error {
	cp := &capacity{cfg: c.plan, base: l.base, tokens: l.tokens, bodies: l.bodies, timeout: c.timeout,
		rss: l.serverRSS, client: newClient(c.plan.workers, c.timeout)}
	fmt.Fprintf(stderr, "capacity plan against %s: steps of %v over %v/s, %.0f%% reads; soak %v, overload %v at %gx, recovery %v\n",
		l.base, c.plan.step, c.plan.rates, 100*c.plan.reads, c.plan.soak, c.plan.overDur, c.plan.overload, c.plan.recovery)
	r, err := cp.run(ctx, stderr)
	if err != nil {
		return err
	}
	r.print(stdout)
	if c.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if len(r.Verdicts) > 0 {
		return fmt.Errorf("the capacity plan found %d problems", len(r.Verdicts))
	}
	return nil
}
