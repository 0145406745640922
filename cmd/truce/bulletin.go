package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"truce/bulletin"
	"truce/workflow"
)

func runBulletin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "verify" {
		return runBulletinVerify(ctx, args[1:], stdout, stderr)
	}
	fs := newFlags("bulletin", "bulletin --data DIR --date YYYY-MM-DD [--format json|md|html|csv] [--lang en|ar|ru|tr|fa] [--checkpoint SIZE] [--witnesses FILE] [--out FILE]\n"+
		"       truce bulletin verify --data DIR FILE",
		"Computes the public bulletin of a day (UTC) from the log up to a checkpoint —\n"+
			"by default the latest that the most of the log's witnesses cosigned (all of\n"+
			"them, once they have), as the server chooses it; or the one of tree size\n"+
			"SIZE — and signs it with the log key. The same log, cosignatures and\n"+
			"checkpoint give the same bytes on any data directory.\n"+
			"`truce bulletin verify FILE` recomputes a bulletin of any format and says\n"+
			"MATCH (exit 0) or MISMATCH and what differs (exit 1); it needs no key.", stderr)
	data := dataFlag(fs)
	date := fs.String("date", "", "the day, YYYY-MM-DD (UTC); required")
	format := fs.String("format", "json", "json, md, html or csv")
	lang := fs.String("lang", "en", "the language of the fixed text and names: en, ar, ru, tr or fa")
	size := fs.Int64("checkpoint", 0, "the tree size of an issued checkpoint to compute at (default: the latest the witnesses cosigned)")
	witnesses := fs.String("witnesses", "", "the witnesses file the server uses (default DIR/witnesses.txt, if present, and the demo's witnesses when the demo ran in DIR)")
	out := fs.String("out", "", "write the bulletin to FILE instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireData(fs, *data); err != nil {
		return err
	}
	if *date == "" {
		fmt.Fprintf(stderr, "truce bulletin: --date YYYY-MM-DD is required\n")
		fs.Usage()
		return errUsage
	}
	f, err := bulletin.ParseFormat(*format)
	if err != nil {
		return err
	}
	d, err := openDataDirDB(*data, dbOf(fs))
	if err != nil {
		return err
	}
	svc, db, err := d.service(true)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: signing a bulletin needs the log key (%s); `truce bulletin verify` checks one without it", d.path, keyFile)
		}
		return err
	}
	defer db.Close()
	if *size == 0 {
		// The checkpoint the server would choose: the latest its
		// witnesses cosigned.
		if svc.Witnesses, err = dataDirWitnesses(d.path, *witnesses); err != nil {
			return err
		}
	}
	b, err := svc.Bulletin(ctx, *date, workflow.BulletinOptions{Checkpoint: *size, Lang: *lang})
	if err != nil {
		return err
	}
	body, err := bulletin.Bytes(b, f)
	if err != nil {
		return err
	}
	if *out != "" {
		return os.WriteFile(*out, body, 0o644)
	}
	_, err = stdout.Write(body)
	return err
}

func runBulletinVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bulletin verify", "bulletin verify --data DIR FILE",
		"Checks a bulletin file (JSON, Markdown, HTML or CSV) against the log: the\n"+
			"signature is the log key's, the checkpoint it carries is the log's, and the\n"+
			"bulletin recomputed at that checkpoint gives the same bytes. Prints MATCH\n"+
			"(exit 0), or MISMATCH and what differs (exit 1). FILE - reads standard input.", stderr)
	data := dataFlag(fs)
	quiet := fs.Bool("quiet", false, "print nothing but the verdict")
	file, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if err := requireData(fs, *data); err != nil {
		return err
	}
	var body []byte
	if file == "-" {
		body, err = io.ReadAll(os.Stdin)
	} else {
		body, err = os.ReadFile(file)
	}
	if err != nil {
		return err
	}
	d, err := openDataDirDB(*data, dbOf(fs))
	if err != nil {
		return err
	}
	svc, db, err := d.service(false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkPublicKey(d, svc, ctx); err != nil {
		return err
	}
	c, err := svc.VerifyBulletin(ctx, body)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%s bulletin", c.Format)
	if c.Date != "" {
		what = fmt.Sprintf("%s bulletin of %s at tree size %d, in %s", c.Format, c.Date, c.TreeSize, c.Lang)
	}
	if c.Match {
		fmt.Fprintf(stdout, "MATCH: %s\n", what)
		return nil
	}
	fmt.Fprintf(stdout, "MISMATCH: %s\n", what)
	if !*quiet {
		fmt.Fprintf(stdout, "  %s\n", strings.Join(c.Problems, "\n  "))
	}
	return exitError{code: 1}
}

// parseWithFile parses flags given before or after one positional FILE,
// which it returns.
func parseWithFile(fs *flag.FlagSet, args []string) (string, error) {
	var file string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", err
			}
			return "", errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			fmt.Fprintf(fs.Output(), "truce %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
			fs.Usage()
			return "", errUsage
		}
		file, args = fs.Arg(0), fs.Args()[1:]
	}
	if file == "" {
		fmt.Fprintf(fs.Output(), "truce %s: FILE is required\n", fs.Name())
		fs.Usage()
		return "", errUsage
	}
	return file, nil
}
