package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tlog "truce/log"
	"truce/workflow"
)

func runLog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stderr, "Usage: truce log verify --data DIR\n\n"+
			"  verify  recompute every hash, check every checkpoint, replay the log\n")
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "verify" {
		fmt.Fprintf(stderr, "truce log: unknown subcommand %q; try `truce log verify`\n", args[0])
		return errUsage
	}
	return runVerify(ctx, args[1:], stdout, stderr)
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("log verify", "log verify --data DIR",
		"Recomputes every Merkle hash from the stored entries and compares it with the\n"+
			"stored one; checks that every entry is canonical; checks every stored\n"+
			"checkpoint's signature with the log's public key, its root, and its\n"+
			"consistency with the checkpoint before it; replays the log into a scratch\n"+
			"database and compares the projections row by row. Exits 0 only when all of\n"+
			"that holds; otherwise names the first bad entry, checkpoint or row, exit 1.", stderr)
	data := dataFlag(fs)
	quiet := fs.Bool("quiet", false, "print nothing but the verdict")
	d, svc, db, err := openFromFlags(fs, args, data)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkPublicKey(d, svc, ctx); err != nil {
		return err
	}
	scratch, cleanup, err := scratchStore()
	if err != nil {
		return err
	}
	defer cleanup()
	var progress workflow.Progress
	if !*quiet {
		progress = progressPrinter(stderr)
	}
	rep, err := svc.Verify(ctx, scratch, progress)
	var ve *workflow.VerifyError
	if errors.As(err, &ve) {
		fmt.Fprintf(stdout, "FAIL: %v\n", ve)
		return exitError{code: 1}
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "OK: %d entries, %d hashes, %d checkpoints, %d projection rows; root %x\n",
		rep.Entries, rep.Hashes, rep.Checkpoints, rep.Rows, rep.Root[:])
	return nil
}

// checkPublicKey compares log.pub with the key recorded in the database:
// a verifier given a data directory should trust the key it was given
// out of band, and a mismatch means one of them was replaced.
func checkPublicKey(d *dataDir, svc *workflow.Service, ctx context.Context) error {
	b, err := os.ReadFile(d.file(pubFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	want := strings.TrimSpace(string(b))
	if _, err := tlog.NewVerifier(want); err != nil {
		return fmt.Errorf("%s: %w", d.file(pubFile), err)
	}
	got, err := svc.VerifierKey(ctx)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("FAIL: the database's log key %q is not %s's %q", got, d.file(pubFile), want)
	}
	return nil
}
