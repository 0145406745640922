package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"truce"
	"truce/interchange"
	"truce/workflow"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export --data DIR --format acled|hxl|geojson [filters] [--role ROLE | --as MEMBER] [--out FILE]",
		"Writes every report the filters select, newest filing first, as ACLED CSV,\n"+
			"CSV with HXL hashtags, or a GeoJSON FeatureCollection. The filters are those\n"+
			"of GET /api/v1/reports. The data directory is read as its operator sees it:\n"+
			"exact coordinates. --role or --as export what that role, or that member,\n"+
			"would see: coordinates coarsened or withheld by the agreement's disclosure\n"+
			"policy, and classification filters refused where the role may not use them.\n"+
			"The public role reads bulletins, not reports, and may not export.\n"+
			"How reports become each format's columns is in the documentation of\n"+
			"package interchange; it can run while the server serves.", stderr)
	data := dataFlag(fs)
	format := fs.String("format", "", "acled, hxl or geojson (required)")
	var q workflow.ReportQuery
	fs.StringVar(&q.From, "from", "", "occurred at or after this time (RFC 3339, or a date YYYY-MM-DD)")
	fs.StringVar(&q.To, "to", "", "occurred before this time")
	fs.StringVar(&q.Consensus, "consensus", "", "pending, confirmed, rejected, contested or unilateral")
	fs.StringVar(&q.Perpetrator, "perpetrator", "", "an actor id, name or alias")
	fs.StringVar(&q.Filer, "organisation", "", "the filing organisation's actor id")
	fs.StringVar(&q.Governorate, "governorate", "", "a governorate P-code, such as SY07")
	fs.StringVar(&q.Scope, "scope", "", "covered, excluded, disputed or outside")
	fs.StringVar(&q.Controller, "controller", "", "the actor id holding the place")
	role := fs.String("role", "", "export as a member of this role of no organisation would see it: guarantor, party, monitor, observer, operator, public")
	as := fs.String("as", "", "export as this member (an id) would see it")
	out := fs.String("out", "", "write to FILE, replaced only once the export is complete (default: standard output)")
	_, svc, db, err := openFromFlags(fs, args, data)
	if err != nil {
		return err
	}
	defer db.Close()
	if !slices.Contains(interchange.ExportFormats, *format) {
		fmt.Fprintf(stderr, "truce export: --format is %q; give acled, hxl or geojson\n", *format)
		fs.Usage()
		return errUsage
	}
	if *role != "" && *as != "" {
		fmt.Fprintln(stderr, "truce export: give --role or --as, not both")
		return errUsage
	}
	viewer := &truce.Member{Role: truce.RoleOperator}
	switch {
	case *role != "":
		if !truce.Role(*role).Valid() {
			fmt.Fprintf(stderr, "truce export: --role %q is not one of %v\n", *role, truce.Roles)
			return errUsage
		}
		viewer = &truce.Member{Role: truce.Role(*role)}
	case *as != "":
		m, err := svc.Member(ctx, viewer, truce.MemberID(*as))
		if err != nil {
			return fmt.Errorf("--as: %s", truce.ErrorMessage(err))
		}
		viewer = m
	}
	if *out == "" {
		w := bufio.NewWriterSize(stdout, 64<<10)
		if err := svc.Export(ctx, viewer, q, *format, w); err != nil {
			return err
		}
		return w.Flush()
	}
	return writeAtomically(*out, func(w io.Writer) error { return svc.Export(ctx, viewer, q, *format, w) })
}

// writeAtomically writes a file through fn into a temporary file beside
// it, and renames it into place only when fn succeeds.
func writeAtomically(path string, fn func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+strings.TrimPrefix(filepath.Base(path), ".")+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriterSize(f, 64<<10)
	if err := fn(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
