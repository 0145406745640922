package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	tlog "truce/log"
	"truce/witness"
	"truce/workflow"
)

func runLog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stderr, "Usage: truce log verify --data DIR [--witness WDIR ...] [--quiet]\n\n"+
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
	fs := newFlags("log verify", "log verify --data DIR [--witness WDIR ...] [--quiet]",
		"Recomputes every Merkle hash from the stored entries and compares it with the\n"+
			"stored one; checks that every entry is canonical, in place and not earlier\n"+
			"than the one before, and every sidecar against its entry's commitments and\n"+
			"signed note; checks every stored checkpoint's signature with the log's public\n"+
			"key (and that key against DIR/log.pub), its root, and its consistency with the\n"+
			"checkpoint before it; checks every witness cosignature with the keys in\n"+
			"DIR/witnesses.txt (and DIR/demo-witnesses/); replays the log into a scratch\n"+
			"database and compares every projection row, column by column; hashes every\n"+
			"evidence file again. Exits 0 only when all of that holds; otherwise names\n"+
			"the first bad entry, checkpoint, cosignature, row or evidence file and, in\n"+
			"brackets, the kind of damage — entry changed, entry missing, entries out of\n"+
			"order, entry replayed, entry time goes back, stored hash changed, tail\n"+
			"truncated, history rewritten, checkpoint forged, cosignature forged, setting\n"+
			"changed, restricted value changed, signature forged, projection row differs,\n"+
			"evidence file changed, evidence file missing —, exit 1. A log rewritten and\n"+
			"re-signed with the log's own (stolen) key is self-consistent: with --witness,\n"+
			"verify also compares it with the checkpoints each witness cosigned, as\n"+
			"`truce witness check` does, and names it history rewritten.", stderr)
	data := dataFlag(fs)
	quiet := fs.Bool("quiet", false, "print nothing but the verdict")
	var witnessDirs multiFlag
	fs.Var(&witnessDirs, "witness", "a witness's directory: also compare the log with every checkpoint it cosigned (repeat for each witness)")
	d, svc, db, err := openFromFlags(fs, args, data)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkPublicKey(d, svc, ctx); err != nil {
		var ve *workflow.VerifyError
		if errors.As(err, &ve) {
			fmt.Fprintf(stdout, "FAIL: %v\n", ve)
			return exitError{code: 1}
		}
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
	witnesses, err := witnessKeys(d)
	if err != nil {
		return err
	}
	rep, err := svc.VerifyWith(ctx, scratch, workflow.VerifyOptions{Progress: progress, Witnesses: witnesses})
	var ve *workflow.VerifyError
	if errors.As(err, &ve) {
		fmt.Fprintf(stdout, "FAIL: %v\n", ve)
		return exitError{code: 1}
	} else if err != nil {
		return err
	}
	witnessed, err := checkWitnessed(ctx, svc, witnessDirs)
	if err != nil {
		if errors.As(err, &ve) {
			fmt.Fprintf(stdout, "FAIL: %v\n", ve)
			return exitError{code: 1}
		}
		return err
	}
	fmt.Fprintf(stdout, "OK: %d entries, %d hashes, %d checkpoints, %d cosignatures, %d projection rows, %d evidence files; root %x\n",
		rep.Entries, rep.Hashes, rep.Checkpoints, rep.Cosignatures, rep.Rows, rep.Evidence, rep.Root[:])
	if len(witnessDirs) > 0 {
		fmt.Fprintf(stdout, "%d checkpoints cosigned by %d witnesses match the entries\n", witnessed, len(witnessDirs))
	}
	if rep.Unsigned > 0 {
		fmt.Fprintf(stdout, "%d entries after the latest checkpoint are signed by none yet\n", rep.Unsigned)
	}
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
		return &workflow.VerifyError{Damage: workflow.DamageSetting, What: "setting", At: workflow.SettingVerifier,
			Err: fmt.Errorf("the database's log key %q is not %s's %q", got, d.file(pubFile), want)}
	}
	return nil
}

// witnessKeys reads the keys of the witnesses whose cosignatures the data
// directory may keep: those its witnesses.txt lists and the demo's, in
// demo-witnesses/*/witness.pub.
func witnessKeys(d *dataDir) ([]*witness.Verifier, error) {
	var keys []*witness.Verifier
	if _, err := os.Stat(d.file(witnessesFile)); err == nil {
		ws, err := readWitnesses(d.file(witnessesFile))
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			keys = append(keys, w.Key)
		}
	}
	pubs, _ := filepath.Glob(filepath.Join(d.file(demoWitnessesDir), "*", witness.PubFile))
	for _, p := range pubs {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		k, err := witness.NewVerifier(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// checkWitnessed compares the log with the checkpoints each witness in
// dirs cosigned (its saved state), and returns how many it compared: a log
// rewritten and signed again with the log's key passes every other check,
// and fails this one.
func checkWitnessed(ctx context.Context, svc *workflow.Service, dirs []string) (int, error) {
	if len(dirs) == 0 {
		return 0, nil
	}
	n := 0
	vkey, err := svc.VerifierKey(ctx)
	if err != nil {
		return 0, err
	}
	logKey, err := tlog.NewVerifier(vkey)
	if err != nil {
		return 0, err
	}
	var seen []workflow.Seen
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, witness.PubFile)); err != nil {
			return 0, fmt.Errorf("--witness %s: not a witness's directory (made by `truce witness init`): %w", dir, err)
		}
		who := strings.TrimPrefix(witnessLabel(dir), "witness ")
		hs, err := witness.ReadHistory(dir, logKey)
		if err != nil {
			return 0, &workflow.VerifyError{Damage: workflow.DamageHistoryRewritten, What: "witness", At: who,
				Err: fmt.Errorf("its history is not of this log's key: %w", err)}
		}
		for _, h := range hs {
			seen = append(seen, workflow.Seen{Checkpoint: h.Checkpoint, Source: "its history (cosigned checkpoints)"})
		}
		faults, _, err := svc.CheckSeen(ctx, seen)
		if err != nil {
			return 0, err
		}
		if len(faults) > 0 {
			d := workflow.DamageHistoryRewritten
			if strings.Contains(faults[0], "removed") {
				d = workflow.DamageTailTruncated
			}
			return 0, &workflow.VerifyError{Damage: d, What: "witness", At: who, Err: errors.New(faults[0])}
		}
		n += len(seen)
		seen = seen[:0]
	}
	return n, nil
}
