package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"

	"truce"
	"truce/evidence"
)

func runSubmit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, `Usage: truce submit <what> [flags]

Signs a command with your key (truce key generate, truce key register) and
sends it as a signed note. The server checks the signature against your
registered key and keeps it with the log entry, so that no one, not the
operator either, can make an entry in your name.

  report FILE.json                    file a report (the JSON of POST /api/v1/reports)
  assessment REPORT --verdict V       assess a report: confirm, dispute or cannot_verify
  evidence REPORT FILE                add an evidence file to a report

Every submission carries an Idempotency-Key (random unless --idempotency-key
is given) and is retried on network errors without being appended twice.
`)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "report":
		return runSubmitReport(ctx, args[1:], stdout, stderr)
	case "assessment":
		return runSubmitAssessment(ctx, args[1:], stdout, stderr)
	case "evidence":
		return runSubmitEvidence(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "truce submit: unknown subcommand %q; try report, assessment or evidence\n", args[0])
	return errUsage
}

// submitFlags adds the flags every submission takes.
func submitFlags(fs *flag.FlagSet) *string {
	return fs.String("key", envOr("TRUCE_KEY", "truce.key"), "your private key (default $TRUCE_KEY)")
}

func runSubmitReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("submit report", "submit report FILE.json [--server URL] [--token TOKEN] [--key FILE]",
		"Files the report in FILE.json (the body of POST /api/v1/reports), signed.", stderr)
	c := clientFlags(fs)
	key := submitFlags(fs)
	file, err := oneArg(fs, args, "FILE.json")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var in truce.ReportInput
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return c.submitSigned(ctx, "POST", "/api/v1/reports", &in, *key, stdout)
}

func runSubmitAssessment(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("submit assessment", "submit assessment REPORT --verdict confirm|dispute|cannot_verify [--reason TEXT]",
		"Assesses a report, signed. A dispute and cannot_verify need a reason.", stderr)
	c := clientFlags(fs)
	key := submitFlags(fs)
	verdict := fs.String("verdict", "", "confirm, dispute or cannot_verify (required)")
	reason := fs.String("reason", "", "why (required for dispute and cannot_verify)")
	id, err := oneArg(fs, args, "REPORT")
	if err != nil {
		return err
	}
	in := truce.AssessmentInput{Verdict: truce.Verdict(*verdict), Reason: *reason}
	if err := in.Validate(); err != nil {
		return err
	}
	return c.submitSigned(ctx, "POST", "/api/v1/reports/"+id+"/assessments", &in, *key, stdout)
}

func runSubmitEvidence(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("submit evidence", "submit evidence REPORT FILE [--server URL] [--token TOKEN] [--key FILE]",
		"Uploads FILE as evidence of REPORT, with a signed note naming its SHA-256.", stderr)
	c := clientFlags(fs)
	key := submitFlags(fs)
	pos, err := positional(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "truce submit evidence: give REPORT and FILE")
		fs.Usage()
		return errUsage
	}
	id, path := pos[0], pos[1]
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sha, _, err := evidence.HashReader(f)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	c.ensureIdempotencyKey()
	route := "/api/v1/reports/" + id + "/evidence"
	msg, err := c.sign(ctx, "POST", route, map[string]string{"sha256": sha}, *key)
	if err != nil {
		return err
	}
	// The upload is built in memory up to the server's size limit; the
	// server streams it to disk.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	nw, _ := mw.CreateFormField("note")
	nw.Write(msg)
	fw, err := mw.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		return err
	}
	if _, err := io.Copy(fw, f); err != nil {
		return err
	}
	mw.Close()
	out, err := c.do(ctx, "POST", route, mw.FormDataContentType(), body.Bytes())
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// positional parses flags that may come before, between or after the
// positional arguments, and returns the positional arguments.
func positional(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// oneArg parses flags around exactly one positional argument.
func oneArg(fs *flag.FlagSet, args []string, name string) (string, error) {
	pos, err := positional(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		fmt.Fprintf(fs.Output(), "truce %s: give %s\n", fs.Name(), name)
		fs.Usage()
		return "", errUsage
	}
	return pos[0], nil
}
