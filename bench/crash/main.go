// Command crash checks that truce keeps every write it acknowledged when
// its server is killed at a random moment, again and again.
//
// Usage, from the module root:
//
//	go run ./bench/crash [-kills 100] [-clients 8] [-min-delay 50ms] [-max-delay 500ms] [-seed N]
//	go run ./bench/crash -control -kills 10     # the negative control: must see losses
//
// It builds cmd/truce into a temporary directory (or takes the binary -bin
// names), runs `truce init` there, starts `truce serve` as a child process
// and adds a guarantor officer of RU, IR and TR and a liaison of OPP and
// SYG. Then, -kills times:
//
//  1. -clients clients, each as one of those members, file reports and (as
//     guarantors) assess reports already acknowledged, one request at a
//     time, each with an idempotency key of its own and a tag, unique in
//     the run, in the report's description or the assessment's reason. The
//     harness's ledger records every 201 (acknowledged) and the request
//     each client had in flight. Meanwhile the log's checkpoint is polled
//     and verified with the log's public key.
//  2. After a random delay between -min-delay and -max-delay it kills the
//     server with SIGKILL.
//  3. It copies the data directory as the kill left it and starts a new
//     server on the original (which must recover it, and get the writer
//     lock the dead one held).
//  4. On the copy: PRAGMA integrity_check must say ok; `truce log verify`
//     must exit 0; every acknowledged write must be there exactly once, as
//     acknowledged (a report under the id its 201 gave), and no tag on two
//     rows.
//  5. On the new server: its checkpoint must be at least as large as the
//     largest one seen before the kill and consistent with it (a
//     consistency proof checked against both signed roots); a few
//     acknowledged writes, sent again with their keys, must get their first
//     answer byte for byte; every request that was in flight is sent again
//     with its key and must be answered 201, so that it is then there once.
//
// At the end the server is stopped in order and the same checks run on the
// data directory itself. It prints a summary and exits 1 when anything
// acknowledged was lost, duplicated or changed, or any check failed.
//
// With -control, the server runs with the test-only switch
// workflow.UnsafeAckBeforeCommitEnv, which acknowledges commands before
// their transaction commits: the harness must then see lost writes, and
// exits 1 when it sees none, for then it could not tell.
//
// SIGKILL kills the process, not the machine: what the process wrote to
// the operating system survives it. It shows that nothing is acknowledged
// before it is committed and that the server recovers whatever state a
// kill leaves; it does not show that fsync reaches the disk (a power cut).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "crash:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "crash:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	kills    int
	clients  int
	minDelay time.Duration
	maxDelay time.Duration
	replays  int
	seed     uint64
	bin      string
	keep     bool
	control  bool
}

// usageError is a command line the harness cannot run; it exits 2.
type usageError struct{ error }

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("crash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.IntVar(&c.kills, "kills", 100, "how many times to kill the server")
	fs.IntVar(&c.clients, "clients", 8, "concurrent clients, one request in flight each")
	fs.DurationVar(&c.minDelay, "min-delay", 50*time.Millisecond, "the shortest time the load runs before a kill")
	fs.DurationVar(&c.maxDelay, "max-delay", 500*time.Millisecond, "the longest time the load runs before a kill")
	fs.IntVar(&c.replays, "replays", 8, "acknowledged writes sent again after each restart, whose answers must not change")
	fs.Uint64Var(&c.seed, "seed", uint64(time.Now().UnixNano()), "the seed of delays, bodies and choices (the schedule still varies)")
	fs.StringVar(&c.bin, "bin", "", "use this truce binary instead of building ./cmd/truce")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (binary, data, servers' log)")
	fs.BoolVar(&c.control, "control", false, "negative control: the server acknowledges before it commits; losses must be seen")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		fs.Usage()
		return nil, usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	case c.kills < 1 || c.clients < 1 || c.replays < 0:
		fs.Usage()
		return nil, usageError{errors.New("-kills and -clients must be positive, -replays not negative")}
	case c.minDelay <= 0 || c.maxDelay < c.minDelay:
		fs.Usage()
		return nil, usageError{errors.New("need 0 < -min-delay <= -max-delay")}
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	sum, err := crash(ctx, c, stderr)
	if sum != nil {
		sum.print(stdout)
	}
	if err != nil {
		return err
	}
	return sum.verdict()
}
