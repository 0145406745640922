package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"truce/screport"
)

func TestReportUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"report", "--help"}, 0, "Usage: truce report"},
		{[]string{"report", "--data", dir}, 2, "--from and --to are required"},
		{[]string{"report", "--data", dir, "--from", "2017-01-01"}, 2, "--from and --to are required"},
		{[]string{"report", "--data", dir, "--from", "1 Jan 2017", "--to", "2017-12-31"}, 2, `--from "1 Jan 2017" is not a date`},
		{[]string{"report", "--data", dir, "--from", "2017-01-01", "--to", "2017-12-31", "--format", "docx"}, 2, `--format "docx" is not html, pdf or md`},
		{[]string{"report", "--data", dir, "--from", "2017-01-01", "--to", "2017-12-31", "--lang", "de"}, 2, `"de" is not a language`},
		{[]string{"report", "--from", "2017-01-01", "--to", "2017-12-31"}, 2, "--data DIR (or TRUCE_DATA) is required"},
		{[]string{"report", "--data", dir, "--from", "2017-01-01", "--to", "2017-12-31"}, 1, "is not a truce data directory"},
	} {
		t.Setenv("TRUCE_DATA", "")
		code, out := truceCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("truce %v = %d %q, want %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}
	if code, out := truceCLI("help"); code != 0 || !strings.Contains(out, "report ") {
		t.Errorf("truce help does not list report: %q", out)
	}
}

// TestReportDemo writes the demo's report in every format: the figures
// of its 36 reports, the same bytes twice, Arabic right to left.
func TestReportDemo(t *testing.T) {
	dir := geoDemoDir(t)
	period := []string{"--data", dir, "--from", "2016-12-01", "--to", "2018-12-31"}
	code, md, errOut := truceCLI3(append([]string{"report", "--format", "md"}, period...)...)
	if code != 0 {
		t.Fatalf("truce report --format md = %d: %s", code, errOut)
	}
	for _, want := range []string{
		"# Ceasefire monitoring: periodic report to the Security Council",
		"| **Reports of events in the period** | **36** | 100% |",
		"| **Total** |",
		"**36** |",
		"On the control map agreed by the guarantors, as in force on 2018-12-31:",
		"Jabhat Fatah al-Sham",
		"Islamic State of Iraq and the Levant",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the demo's Markdown report lacks %q", want)
		}
	}
	if _, again, _ := truceCLI3(append([]string{"report", "--format", "md"}, period...)...); again != md {
		t.Error("two reports of the same log differ")
	}

	out := filepath.Join(t.TempDir(), "report-ar.html")
	if code, msg := truceCLI(append([]string{"report", "--lang", "ar", "--out", out}, period...)...); code != 0 || msg != "" {
		t.Fatalf("truce report --lang ar --out = %d %q", code, msg)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "إدلب", "@media print", "</svg>"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the Arabic HTML report lacks %q", want)
		}
	}

	if _, err := screport.Chromium(); err != nil {
		if os.Getenv("TRUCE_NO_BROWSER") == "1" {
			t.Skipf("TRUCE_NO_BROWSER=1: no PDF (%v)", err)
		}
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	if code, msg := truceCLI(append([]string{"report", "--format", "pdf", "--out", pdf}, period...)...); code != 0 {
		t.Fatalf("truce report --format pdf = %d %q", code, msg)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("the PDF report: %v, starts %q", err, b[:min(len(b), 8)])
	}
}
