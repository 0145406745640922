// Command load measures durable report submissions through the HTTP API:
// how many reports per second concurrent clients file, each answered 201
// only after the server's synchronous=FULL commit, and at what latency.
//
// Usage, from the module root:
//
//	go run ./bench/load [-clients 32] [-duration 20s] [-warmup 2s] [-max 200000] [-json]
//	go run ./bench/load -addr http://127.0.0.1:8080 -token TOKEN   # a server already running
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
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var tokens string
	fs.StringVar(&c.addr, "addr", "", "the base URL of a running server on a loopback address (default: build and start one)")
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
	if err := fs.Parse(args); err != nil {
		return nil, err
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
	if c.addr != "" && c.bin != "" {
		return usage("-bin and -addr exclude each other: -addr targets a server already running")
	}
	if c.addr != "" {
		if tokens == "" {
			return usage("-addr needs -token: a member who may file reports")
		}
		base, err := loopbackBase(c.addr)
		if err != nil {
			return nil, usageError{err}
		}
		c.addr = base
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
	l := &load{base: c.addr, tokens: c.tokens, clients: c.clients, warmup: c.warmup,
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
		s, err := startServer(ctx, dir, c.bin, stderr)
		if err != nil {
			return err
		}
		defer s.stop(stderr)
		if l.tokens, err = s.filers(ctx); err != nil {
			return err
		}
		l.base, l.serverCPU = s.url, s.cpu
	}

	// The bodies are ready before the clock starts; a pool of distinct
	// ones, sent in turn, is as good as one body per request.
	l.bodies = bodies(c.seed, int(min(c.max, 8192)))

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
	fmt.Fprintf(stderr, "%d clients filing as %d members to %s: %v warm-up, %v measured, at most %d requests\n",
		c.clients, len(l.tokens), l.base, c.warmup, c.duration, c.max)
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
