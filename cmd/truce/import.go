package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"truce"
	"truce/interchange"
	"truce/workflow"
)

const importUsage = `Usage: truce import ucdp|acled|hxl FILE --data DIR (--organisation ORG | --as MEMBER) [flags]

Files every row of a UCDP GED, ACLED or HXL file as a report, on behalf of
the organisation that vouches for the dataset. The reports are filed by a
member of that organisation named after the source ("UCDP import"), which
is added as a monitor (a party's liaison for a party) the first time, or
by the member --as names.

  ucdp FILE    a UCDP GED CSV file (the columns of GED 19.1 and later)
  acled FILE   an ACLED CSV export (event_id_cnty, event_date, ... timestamp)
  hxl FILE     a CSV file with a row of HXL hashtags (#date+occurred,
               #event+type, #geo+lat, #geo+lon, #affected+killed, ...)

Each event is filed once: its import is recorded under the key
import:FORMAT:ID, so importing a file again, or resuming an interrupted
import, files only the rows not filed yet ("0 new, N already imported").
A row that cannot be a report is reported on standard error as
FILE:ROW: reason (ROW as a spreadsheet numbers rows, the header being row
1) and the others are filed; the exit status is then 1. A row changed since
it was imported is reported too: the report filed from it stands.

Run 'truce import FORMAT --help' for the flags. How each format's columns
become a report's fields is in the documentation of package interchange.
`

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, importUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	format := args[0]
	if !slices.Contains(interchange.ImportFormats, format) {
		fmt.Fprintf(stderr, "truce import: unknown format %q; try ucdp, acled or hxl\n", format)
		return errUsage
	}
	source := map[string]string{interchange.UCDP: "UCDP", interchange.ACLED: "ACLED", interchange.HXL: "HXL"}[format]
	fs := newFlags("import "+format, "import "+format+" FILE --data DIR (--organisation ORG | --as MEMBER) [flags]",
		"Files every row of FILE (- for standard input) as a report on behalf of ORG,\n"+
			"once: rows imported before are not filed again. Bad rows are reported as\n"+
			"FILE:ROW: reason and skipped; the exit status is then 1. A progress bar shows\n"+
			"on a terminal. Stop the server first: import writes to the data directory.\n"+
			"'truce import --help' says more; package interchange's documentation gives\n"+
			"the mapping of every column.", stderr)
	data := dataFlag(fs)
	org := fs.String("organisation", "", "the organisation on whose behalf the rows are filed, an actor id (UN, RU, ...)")
	as := fs.String("as", "", "the member that files the rows (default: the organisation's member \"SOURCE import\", added when missing)")
	fs.StringVar(&source, "source", source, "the dataset's name: names the importing member, and (hxl) the citation each report gets")
	dry := fs.Bool("dry-run", false, "read and check every row, file nothing")
	quiet := fs.Bool("quiet", false, "no progress and no notes; refused rows and the summary only")
	file, err := fileArg(fs, args[1:])
	if err != nil {
		return err
	}
	if err := requireData(fs, *data); err != nil {
		return err
	}
	if *org == "" && *as == "" {
		fmt.Fprintf(stderr, "truce import %s: give --organisation ORG (on whose behalf the rows are filed) or --as MEMBER\n", format)
		fs.Usage()
		return errUsage
	}
	d, err := openDataDirDB(*data, dbOf(fs))
	if err != nil {
		return err
	}
	if !*dry {
		unlock, err := d.lock()
		if err != nil {
			return err
		}
		defer unlock()
	}
	svc, db, err := d.service(!*dry)
	if err != nil {
		return err
	}
	defer db.Close()

	in, size, err := openInput(file)
	if err != nil {
		return err
	}
	defer in.Close()
	a, err := svc.Agreement(ctx)
	if err != nil {
		return err
	}
	rd, err := interchange.NewReader(format, in, a, &interchange.Options{Source: source})
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	p := newProgress(stderr, file, size, *quiet)
	if *dry {
		return dryRun(rd, p, stdout)
	}
	m, err := importer(ctx, svc, truce.ActorID(*org), truce.MemberID(*as), source+" import")
	if err != nil {
		return err
	}
	start := time.Now()
	sum, err := svc.Import(ctx, m, rd, p.result)
	p.done()
	if sum != nil && sum.New > 0 {
		// The rows filed are durable; a checkpoint lets verifiers see them.
		if _, cerr := svc.IssueCheckpoint(context.WithoutCancel(ctx)); cerr != nil && err == nil {
			err = cerr
		}
	}
	if sum != nil {
		took := time.Since(start)
		fmt.Fprintf(stdout, "%s: %d rows: %d new, %d already imported, %d changed since, %d refused; filed by %s (%s, %s of %s) in %s, %.0f rows/s.\n",
			file, sum.Rows, sum.New, sum.Known, sum.Changed, sum.Refused, m.Name, m.ID, m.Role, m.Organisation,
			took.Round(time.Millisecond), float64(sum.Rows)/took.Seconds())
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: the rows filed stay filed; import the file again to go on")
		}
		return fmt.Errorf("%s: %w", file, err)
	}
	if sum.Refused > 0 {
		fmt.Fprintf(stderr, "truce import %s: %d of %d rows refused (listed above)\n", format, sum.Refused, sum.Rows)
		return exitError{1}
	}
	return nil
}

// importer returns the member the rows are filed by: the one --as names,
// or the organisation's importing member, added when missing.
func importer(ctx context.Context, svc *workflow.Service, org truce.ActorID, id truce.MemberID, name string) (*truce.Member, error) {
	op, err := anOperator(ctx, svc)
	if err != nil {
		return nil, err
	}
	if id != "" {
		m, err := svc.Member(ctx, op, id)
		if err != nil {
			return nil, fmt.Errorf("--as: %s", truce.ErrorMessage(err))
		}
		if org != "" && m.Organisation != org {
			return nil, fmt.Errorf("--as: member %s belongs to %s, not %s", m.ID, m.Organisation, org)
		}
		if !m.Role.CanFileReport() {
			return nil, fmt.Errorf("--as: member %s is a %s, who may not file reports", m.ID, m.Role)
		}
		return m, nil
	}
	m, _, err := svc.Importer(ctx, op, name, org)
	return m, err
}

// anOperator returns the first operator of the data directory, who adds
// importing members: the command acts with the operator's authority over
// the data directory it holds.
func anOperator(ctx context.Context, svc *workflow.Service) (*truce.Member, error) {
	ms, err := svc.Members(ctx, &truce.Member{Role: truce.RoleOperator})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Role == truce.RoleOperator {
			return m, nil
		}
	}
	return nil, errors.New("the data directory has no operator")
}

// openInput opens FILE, or standard input for "-", and returns its size
// when known (for progress), else 0.
func openInput(file string) (io.ReadCloser, int64, error) {
	if file == "-" {
		return io.NopCloser(os.Stdin), 0, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, 0, err
	}
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return f, size, nil
}

func dryRun(rd *interchange.Reader, p *progress, stdout io.Writer) error {
	sum := &workflow.ImportSummary{}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			p.done()
			return fmt.Errorf("%s: %w", p.file, err)
		}
		st := workflow.ImportNew
		if rec.Err != nil {
			st = workflow.ImportRefused
		}
		sum.Rows++
		if st == workflow.ImportRefused {
			sum.Refused++
		}
		p.result(&workflow.ImportResult{Record: rec, Status: st, Err: rec.Err, Offset: rd.Offset()})
	}
	p.done()
	fmt.Fprintf(stdout, "%s: %d rows: %d valid, %d refused; nothing filed (dry run).\n", p.file, sum.Rows, sum.Rows-sum.Refused, sum.Refused)
	if sum.Refused > 0 {
		return exitError{1}
	}
	return nil
}

// progress reports an import's rows on standard error: each refused or
// changed row as FILE:ROW: reason, notes unless quiet, and a progress bar
// on a terminal (a line every 10 seconds otherwise).
type progress struct {
	w          io.Writer
	file       string
	size       int64
	quiet, tty bool
	start      time.Time
	last       time.Time
	rows       int // rows reported
	refused    int
	offset     int64 // bytes read when the current batch was
	drawn      bool
}

func newProgress(w io.Writer, file string, size int64, quiet bool) *progress {
	p := &progress{w: w, file: file, size: size, quiet: quiet, start: time.Now()}
	p.last = p.start
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) result(r *workflow.ImportResult) {
	// Rows come a batch at a time, all with the offset the batch was read
	// to: the first row of a batch shows the progress of the batches
	// before it.
	if r.Offset != p.offset && p.rows > 0 {
		p.tick(p.offset, false)
	}
	p.offset = r.Offset
	p.rows++
	rec := r.Record
	where := fmt.Sprintf("%s:%d", p.file, rec.Row)
	if rec.Line != rec.Row {
		where += fmt.Sprintf(" (line %d)", rec.Line)
	}
	switch r.Status {
	case workflow.ImportRefused:
		p.refused++
		p.say("%s: %s", where, truce.ErrorMessage(r.Err))
	case workflow.ImportChanged:
		p.say("%s: event %s has changed since it was imported as %s; the report filed then stands", where, rec.ID, r.Report)
	case workflow.ImportNew:
		if !p.quiet {
			for _, n := range rec.Notes {
				p.say("%s: note: %s", where, n)
			}
		}
	}
}

// say prints a line, above the progress bar.
func (p *progress) say(format string, args ...any) {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *progress) tick(offset int64, final bool) {
	if p.quiet {
		return
	}
	now := time.Now()
	every := 10 * time.Second
	if p.tty {
		every = 100 * time.Millisecond
	}
	if !final && now.Sub(p.last) < every {
		return
	}
	p.last = now
	rate := float64(p.rows) / max(now.Sub(p.start).Seconds(), 1e-3)
	status := fmt.Sprintf("%d rows, %.0f rows/s, %d refused", p.rows, rate, p.refused)
	if !p.tty {
		if !final {
			fmt.Fprintf(p.w, "%s: %s\n", p.file, status)
		}
		return
	}
	bar := ""
	if p.size > 0 {
		frac := min(float64(offset)/float64(p.size), 1)
		const width = 30
		n := int(frac * width)
		bar = fmt.Sprintf("%3.0f%% [%s%s] ", frac*100, strings.Repeat("=", n), strings.Repeat(" ", width-n))
	}
	fmt.Fprintf(p.w, "\r\033[K%s%s", bar, status)
	p.drawn = true
}

// done clears the progress bar.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// fileArg parses flags around exactly one positional argument, as oneArg
// does, but lets --help through as flag.ErrHelp (exit status 0).
func fileArg(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return "", err
		} else if err != nil {
			return "", errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 1 {
		fmt.Fprintf(fs.Output(), "truce %s: give one FILE\n", fs.Name())
		fs.Usage()
		return "", errUsage
	}
	return pos[0], nil
}
