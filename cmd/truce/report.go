package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"truce/i18n"
	"truce/screport"
)

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "report --data DIR --from YYYY-MM-DD --to YYYY-MM-DD [--format html|pdf|md] [--lang en|ar|ru|tr|fa] [--out FILE]",
		"Writes the periodic report for the Security Council: the reports of events\n"+
			"that occurred from the first day to the last (both included), by week and\n"+
			"consensus state, by governorate (with a map) and by alleged perpetrator, and\n"+
			"the lines of contact and separation on the agreed map at the end of the\n"+
			"period. It is made as of the log's latest checkpoint, which it names: the\n"+
			"same log gives the same report, byte for byte. The report is public: no\n"+
			"location finer than a governorate.\n\n"+
			"html and md go to standard output unless --out is given; pdf is drawn by\n"+
			"headless Chromium ($TRUCE_CHROMIUM or /usr/bin/chromium) and needs --out\n"+
			"or a standard output that is not a terminal.", stderr)
	data := dataFlag(fs)
	fromFlag := fs.String("from", "", "the first day of the period, YYYY-MM-DD (required)")
	toFlag := fs.String("to", "", "the last day of the period, YYYY-MM-DD, included (required)")
	format := fs.String("format", "html", "html, pdf or md")
	langFlag := fs.String("lang", "en", "the language: en, ar, ru, tr or fa")
	out := fs.String("out", "", "the file to write (default standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usageErr := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "truce report: "+format+"\n", a...)
		fs.Usage()
		return errUsage
	}
	if *fromFlag == "" || *toFlag == "" {
		return usageErr("--from and --to are required")
	}
	from, err := time.Parse(time.DateOnly, *fromFlag)
	if err != nil {
		return usageErr("--from %q is not a date YYYY-MM-DD", *fromFlag)
	}
	to, err := time.Parse(time.DateOnly, *toFlag)
	if err != nil {
		return usageErr("--to %q is not a date YYYY-MM-DD", *toFlag)
	}
	lang, err := i18n.Parse(*langFlag)
	if err != nil {
		return usageErr("--lang: %v", err)
	}
	switch *format {
	case "html", "md", "pdf":
	default:
		return usageErr("--format %q is not html, pdf or md", *format)
	}
	if *format == "pdf" && *out == "" && isTerminal(stdout) {
		return usageErr("a PDF is not for a terminal: give --out FILE, or redirect standard output")
	}
	if err := requireData(fs, *data); err != nil {
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
	rep, err := screport.Build(ctx, svc, screport.Options{From: from, To: to, Lang: lang})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	switch *format {
	case "html":
		err = rep.HTML(&b)
	case "md":
		err = rep.Markdown(&b)
	case "pdf":
		var pdf []byte
		if pdf, err = rep.PDF(ctx); err == nil {
			b.Write(pdf)
		}
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(b.Bytes())
		return err
	}
	return os.WriteFile(*out, b.Bytes(), 0o644)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
