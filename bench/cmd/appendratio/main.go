// Command appendratio measures what the log costs over a plain insert: it
// runs bench.BenchmarkAppend for a number of rounds and prints, for one
// report per transaction and for batches of 100, the median ns/report of
// the log and of the plain insert and their ratio.
//
// Usage, from the module root:
//
//	go run ./bench/cmd/appendratio [-count 6] [-benchtime 2s] [-o FILE] [-benchstat]
//	go run ./bench/cmd/appendratio -in FILE   # summarise saved `go test -bench` output
//
// Each round is one run of the test binary with -test.count 1, in which the
// four sub-benchmarks run one after the other; rounds repeat that, so the
// variants alternate in time and share the machine's noise. (`go test
// -count N` would instead run each sub-benchmark N times in a row.) The raw
// output, saved with -o, is in the format benchstat reads.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// target is the most the log may cost, as a multiple of the plain insert.
const target = 1.5

// modes are the transaction sizes compared, as named in the sub-benchmarks.
var modes = []string{"one-per-tx", "batch-100"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "appendratio:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("appendratio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", 6, "rounds: runs of the benchmark binary, each running every variant once")
	benchtime := fs.String("benchtime", "2s", "-test.benchtime of each variant in each round")
	pkg := fs.String("pkg", "truce/bench", "the package holding BenchmarkAppend")
	in := fs.String("in", "", "summarise this saved `go test -bench` output instead of running")
	out := fs.String("o", "", "also write the raw benchmark output to this file (benchstat's input)")
	benchstat := fs.Bool("benchstat", false, "also run golang.org/x/perf/cmd/benchstat@latest on the raw output, when the module proxy serves it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *count < 1 {
		fs.Usage()
		return fmt.Errorf("usage: appendratio [-count N] [-benchtime D] [-o FILE] [-benchstat] | -in FILE")
	}

	var raw []byte
	var err error
	desc := fmt.Sprintf("%d rounds of -benchtime %s", *count, *benchtime)
	if *in != "" {
		raw, err = os.ReadFile(*in)
		desc = *in
	} else {
		raw, err = runRounds(ctx, *pkg, *count, *benchtime, stderr)
	}
	if err != nil {
		return err
	}
	if *out != "" {
		if err := os.WriteFile(*out, raw, 0o644); err != nil {
			return err
		}
	}
	res := parse(raw)
	if err := summarise(stdout, res, desc); err != nil {
		return err
	}
	if *benchstat {
		runBenchstat(ctx, raw, stdout, stderr)
	}
	return nil
}

// runRounds builds the test binary once and runs it count times, echoing
// its output to progress, and returns all of it.
func runRounds(ctx context.Context, pkg string, count int, benchtime string, progress io.Writer) ([]byte, error) {
	dir, err := os.MkdirTemp("", "appendratio")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "bench.test")
	build := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, pkg)
	build.Stdout, build.Stderr = progress, progress
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go test -c %s: %w", pkg, err)
	}
	var all bytes.Buffer
	for i := 1; i <= count; i++ {
		fmt.Fprintf(progress, "round %d of %d\n", i, count)
		cmd := exec.CommandContext(ctx, bin, "-test.run=^$", "-test.bench=^BenchmarkAppend$",
			"-test.benchtime="+benchtime, "-test.count=1")
		cmd.Stdout = io.MultiWriter(&all, progress)
		cmd.Stderr = progress
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("round %d: %w", i, err)
		}
	}
	return all.Bytes(), nil
}

// resultLine matches a result of BenchmarkAppend: variant, mode, the rest.
var resultLine = regexp.MustCompile(`^BenchmarkAppend/(log|plain)/([a-z0-9-]+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// results holds ns/report values by variant ("log", "plain") and mode, in
// the order they were printed.
type results map[string]map[string][]float64

func parse(raw []byte) results {
	res := results{"log": {}, "plain": {}}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		m := resultLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			if f[i+1] != "ns/report" {
				continue
			}
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				res[m[1]][m[2]] = append(res[m[1]][m[2]], v)
			}
		}
	}
	return res
}

// summarise prints the medians and ratios, and the spread of the ratios of
// the k-th log result to the k-th plain result: in appendratio's rounds
// these ran side by side, in `go test -count N` output they did not.
func summarise(w io.Writer, res results, desc string) error {
	fmt.Fprintf(w, "BenchmarkAppend, %s; medians of ns/report, target log/plain <= %.1f\n", desc, target)
	found := false
	for _, mode := range modes {
		lg, pl := res["log"][mode], res["plain"][mode]
		if len(lg) == 0 || len(pl) == 0 {
			fmt.Fprintf(w, "%-11s no results\n", mode+":")
			continue
		}
		found = true
		ratio := median(lg) / median(pl)
		verdict := "within target"
		if ratio > target {
			verdict = "OVER target"
		}
		var rs []float64
		for k := range min(len(lg), len(pl)) {
			rs = append(rs, lg[k]/pl[k])
		}
		fmt.Fprintf(w, "%-11s log %s plain %s ratio %.2f (%s; n=%d/%d, k-th-run ratios %.2f-%.2f)\n",
			mode+":", duration(median(lg)), duration(median(pl)), ratio, verdict,
			len(lg), len(pl), slices.Min(rs), slices.Max(rs))
	}
	if !found {
		return fmt.Errorf("no BenchmarkAppend ns/report results in the output")
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// duration writes nanoseconds with three significant digits.
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3gs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3gms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3gµs", ns/1e3)
	}
	return fmt.Sprintf("%.3gns", ns)
}

// runBenchstat runs benchstat on the raw output, log and plain in columns.
// benchstat is optional: when the module proxy does not serve it, say so.
func runBenchstat(ctx context.Context, raw []byte, stdout, stderr io.Writer) {
	// benchstat's -col picks only key=value parts of a benchmark's name, so
	// BenchmarkAppend/log/one-per-tx becomes .../store=log/mode=one-per-tx.
	named := regexp.MustCompile(`(?m)^BenchmarkAppend/(log|plain)/`).ReplaceAll(raw, []byte("BenchmarkAppend/store=$1/mode="))
	f, err := os.CreateTemp("", "appendratio-*.txt")
	if err != nil {
		fmt.Fprintln(stderr, "benchstat:", err)
		return
	}
	defer os.Remove(f.Name())
	_, err = f.Write(named)
	if err = errors.Join(err, f.Close()); err != nil {
		fmt.Fprintln(stderr, "benchstat:", err)
		return
	}
	fmt.Fprintln(stdout)
	cmd := exec.CommandContext(ctx, "go", "run", "golang.org/x/perf/cmd/benchstat@latest",
		"-col", "/store", "-filter", ".unit:ns/report", f.Name())
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "benchstat is not available (%v); the summary above does not need it\n", err)
	}
}
