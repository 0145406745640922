// Command truce is the one binary of the truce ceasefire-monitoring log:
// it initialises data directories, serves the API, rebuilds projections
// from the log and verifies the log. Run `truce help` for the commands.
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

	"truce"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand.
type command struct {
	name  string
	short string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"init", "create a data directory: database, log key, agreement, operator token", runInit},
		{"serve", "serve the API (with --demo, on a data directory seeded with demo data)", runServe},
		{"rebuild", "drop the projections and replay the log into them", runRebuild},
		{"log", "log tools: `truce log verify`", runLog},
		{"dump", "print the projections, one canonical row per line", runDump},
		{"migrate-store", "move a data directory's log from SQLite to PostgreSQL, every entry and hash unchanged", runMigrateStore},
		{"key", "make and register a key for signing submissions", runKey},
		{"submit", "sign a report, assessment or evidence file and send it", runSubmit},
		{"geo", "look up places, classify points, list separation", runGeo},
		{"report", "write the periodic report for the Security Council (html, pdf, md)", runReport},
		{"import", "file the events of a UCDP, ACLED or HXL file as reports", runImport},
		{"intake", "read a bulletin or news text into draft reports to review (files nothing)", runIntake},
		{"export", "write reports as ACLED CSV, HXL CSV or GeoJSON", runExport},
		{"bulletin", "compute, sign and verify a day's public bulletin", runBulletin},
		{"witness", "cosign a log's checkpoints for one guarantor (tlog-witness); check a log against them", runWitness},
	}
}

const usage = `truce keeps a ceasefire's claims in one signed, verifiable log.

Usage:
  truce <command> [flags]

Commands:
%s
Every command takes --data DIR (or the TRUCE_DATA environment variable)
and --help. Run 'truce <command> --help' for its flags.
`

func printUsage(w io.Writer) {
	var list string
	for _, c := range commands() {
		list += fmt.Sprintf("  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, usage, list)
}

// exitError carries an exit code other than 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run executes a command line and returns the process's exit code: 0 on
// success, 2 on a usage error, 1 on any other failure.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var ee exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ee):
			return ee.code
		case errors.Is(err, errUsage):
			return 2
		}
		msg := err.Error()
		if truce.ErrorCode(err) != truce.EINTERNAL {
			msg = truce.ErrorMessage(err)
		}
		fmt.Fprintf(stderr, "truce %s: %s\n", c.name, msg)
		return 1
	}
	fmt.Fprintf(stderr, "truce: unknown command %q\n\n", args[0])
	printUsage(stderr)
	return 2
}

// errUsage is returned after a usage error has been printed.
var errUsage = errors.New("usage")

// newFlags returns a flag set that prints its usage to stderr and returns
// errors instead of exiting.
func newFlags(name, synopsis, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: truce %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping a parse failure to errUsage (the flag
// package has printed it) and refusing positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "truce %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// dataFlag adds --data, defaulting to $TRUCE_DATA, and --db (db.go).
func dataFlag(fs *flag.FlagSet) *string {
	addDBFlag(fs)
	return fs.String("data", os.Getenv("TRUCE_DATA"), "the data directory (default $TRUCE_DATA)")
}

func requireData(fs *flag.FlagSet, dir string) error {
	if dir == "" && dbOf(fs) == "" {
		fmt.Fprintf(fs.Output(), "truce %s: --data DIR (or TRUCE_DATA) is required\n", fs.Name())
		fs.Usage()
		return errUsage
	}
	return nil
}
